/** Turning a tessera:form's field inputs into variables, with validation (pure, unit-tested). */
import type { FormField } from '../engine/definition/model.js';

/** Input values as bound by the form (a number input binds a number, or null when empty). */
export type FieldInputs = Record<string, string | number | boolean | null | undefined>;

export interface FormOutcome {
  variables: Record<string, unknown>;
  /** Field key → what is wrong; empty when valid. */
  errors: Record<string, string>;
}

/** The initial inputs: each field's default, or the current variable's value. */
export function initialInputs(fields: readonly FormField[], current: Record<string, unknown> = {}): FieldInputs {
  const inputs: FieldInputs = {};
  for (const f of fields) {
    const value = current[f.key];
    if (f.type === 'boolean') inputs[f.key] = value === undefined ? f.default === 'true' : value === true;
    else inputs[f.key] = value === undefined || value === null ? (f.default ?? '') : String(value);
  }
  return inputs;
}

export function formVariables(fields: readonly FormField[], inputs: FieldInputs, extraJson = ''): FormOutcome {
  const variables: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = inputs[f.key];
    if (f.type === 'boolean') {
      variables[f.key] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : '';
    if (text === '') {
      if (f.required) errors[f.key] = `${f.label} is required`;
      continue;
    }
    if (f.type === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n)) errors[f.key] = `${f.label} must be a number`;
      else variables[f.key] = n;
    } else if (f.type === 'enum') {
      if (f.values && !f.values.includes(text)) errors[f.key] = `${f.label} must be one of ${f.values.join(', ')}`;
      else variables[f.key] = text;
    } else if (f.type === 'date') {
      if (Number.isNaN(Date.parse(text))) errors[f.key] = `${f.label} must be a date`;
      else variables[f.key] = text;
    } else {
      variables[f.key] = f.type === 'text' ? (typeof raw === 'string' ? raw : '') : text;
    }
  }
  if (extraJson.trim()) {
    try {
      const parsed: unknown = JSON.parse(extraJson);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) errors['$json'] = 'Variables must be a JSON object';
      else Object.assign(variables, parsed);
    } catch (e) {
      errors['$json'] = `Not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return { variables, errors };
}
