import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TaskType } from './TaskTypeRegistry.js';

/**
 * Loads task-type plugin modules (relay.json `taskTypes`, `tessera runner --task-type`): each
 * module's default export is a TaskType or an array of them. Paths are relative to `base`.
 */
export async function loadTaskTypes(modules: readonly string[], base: string): Promise<TaskType[]> {
  const types: TaskType[] = [];
  for (const module of modules) {
    const url = pathToFileURL(path.resolve(base, module)).href;
    const loaded = ((await import(url)) as { default?: unknown }).default;
    const list = Array.isArray(loaded) ? loaded : [loaded];
    for (const type of list) {
      if (!isTaskType(type)) throw new Error(`${module}: the default export is not a task type ({ name, fields, run })`);
      types.push(type);
    }
  }
  return types;
}

function isTaskType(value: unknown): value is TaskType {
  const t = value as Partial<TaskType> | null;
  return !!t && typeof t.name === 'string' && Array.isArray(t.fields) && typeof t.run === 'function';
}
