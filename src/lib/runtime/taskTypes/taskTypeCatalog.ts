/**
 * The task types the relay's runners offer (GET /api/task-types), for the modeler's properties
 * panel. Browser-safe (no Node imports); the answer crosses a trust boundary, so it is checked.
 */
import { z } from 'zod';
import { taskTypeInfo, type TaskTypeInfo } from '../../protocol/jobs.js';

const answer = z.object({ ok: z.literal(true), taskTypes: z.array(taskTypeInfo).max(1024) });

export type { TaskTypeInfo };
export type TaskFieldInfo = TaskTypeInfo['fields'][number];

/** Built-ins every runner has; they serve the other implementation kinds (command, HTTP, script), not job types. */
export const BUILT_IN_TASK_TYPES: readonly string[] = ['command', 'http', 'script'];

export type TaskTypeCatalog = { online: true; types: TaskTypeInfo[] } | { online: false; reason: string; types: TaskTypeInfo[] };

/** Fetches the relay's task types; offline (or a bad answer) gives no job types and says why. */
export async function loadTaskTypeCatalog(fetchFn: typeof fetch = fetch): Promise<TaskTypeCatalog> {
  try {
    const response = await fetchFn('/api/task-types', { cache: 'no-store' });
    if (!response.ok) return { online: false, reason: `the relay answered ${response.status}`, types: [] };
    const parsed = answer.safeParse(await response.json());
    if (!parsed.success) return { online: false, reason: 'the relay sent an unreadable task-type list', types: [] };
    return { online: true, types: parsed.data.taskTypes.filter((type) => !BUILT_IN_TASK_TYPES.includes(type.name)) };
  } catch {
    return { online: false, reason: 'the relay is not reachable', types: [] };
  }
}

/** Why a header value does not fit its field, or undefined when it does (headers are strings). */
export function checkFieldValue(field: TaskFieldInfo, value: string): string | undefined {
  const text = value.trim();
  if (text === '') return field.required ? 'Required' : undefined;
  if (field.type === 'number' && !Number.isFinite(Number(text))) return 'A number';
  if (field.type === 'boolean' && text !== 'true' && text !== 'false') return 'true or false';
  if (field.type === 'json') {
    try {
      JSON.parse(text);
    } catch {
      return 'JSON';
    }
  }
  return undefined;
}
