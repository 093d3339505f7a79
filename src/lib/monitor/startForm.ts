/** The form fields of a process's plain start event (what the start dialog asks for). */
import type { FormField, ProcessModel } from '../engine/definition/model.js';

export function startFormFields(model: ProcessModel, processId = model.mainProcess): FormField[] {
  const process = model.processes[processId];
  if (!process) return [];
  for (const node of Object.values(process.nodes)) {
    if (node.type !== 'startEvent' || node.formFields === undefined || node.scope !== processId) continue;
    if (node.event && node.event.type !== 'none') continue;
    return [...node.formFields];
  }
  return [];
}
