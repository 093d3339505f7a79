/**
 * A user task's form-js schema (JSON text from the BPMN) checked before it reaches the renderer:
 * the text crossed a trust boundary (anyone's BPMN), so a bad one gives a message and the caller
 * falls back to the plain fields form instead of crashing the inbox.
 */
import { z } from 'zod';

const componentSchema = z.looseObject({ type: z.string(), key: z.string().optional(), label: z.string().optional() });
/** Enough of form-js's schema to render: components, each with a type (form-js checks the rest). */
const formJsSchema = z.looseObject({ components: z.array(componentSchema) });

export type FormJsSchema = z.infer<typeof formJsSchema>;

export type ParsedSchema = { ok: true; schema: FormJsSchema } | { ok: false; problem: string };

/** Parses and shape-checks a form-js schema; `problem` says what is wrong for people. */
export function parseFormJsSchema(text: string): ParsedSchema {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `The task's form-js schema is not valid JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
  const parsed = formJsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, problem: `The task's form-js schema is not a form-js form${where}: ${issue?.message ?? 'unknown shape'}.` };
  }
  return { ok: true, schema: parsed.data };
}

/** form-js validation errors (field id → messages) as one sentence, naming fields by their label. */
export function errorSummary(errors: Record<string, readonly string[]>, labelOf: (fieldId: string) => string | undefined): string {
  const parts = Object.entries(errors)
    .filter(([, messages]) => messages.length > 0)
    .map(([id, messages]) => `${labelOf(id) ?? id}: ${messages.join(' ')}`);
  return parts.length === 0 ? '' : `Not completed — ${parts.join('; ')}`;
}

/** The submitted form data as completion variables (form-js leaves out fields that are hidden or disabled). */
export function completionVariables(data: unknown): Record<string, unknown> {
  return z.record(z.string(), z.unknown()).parse(data ?? {});
}
