/** `tessera:form` fields on user tasks and start events. */
import type { FormField } from './model.js';
import { children, extension, flag, idOf, text, type ModdleNode } from './moddleNode.js';
import type { Report } from './feel.js';

const FIELD_TYPES: readonly FormField['type'][] = ['string', 'number', 'boolean', 'date', 'enum', 'text'];

/** The fields of the element's `tessera:form` (none when it has no form). */
export function compileFormFields(node: ModdleNode, report: Report): FormField[] {
  const form = extension(node, 'tessera:Form');
  if (!form) return [];
  const id = idOf(node);
  const seen = new Set<string>();
  return children(form, 'fields').map((field) => {
    const key = text(field, 'key') ?? '';
    if (key === '') report(id, `tessera:field needs a key`);
    else if (seen.has(key)) report(id, `tessera:field key '${key}' is used twice`);
    seen.add(key);
    const typeText = text(field, 'type') ?? 'string';
    const type = FIELD_TYPES.find((candidate) => candidate === typeText);
    if (type === undefined) report(id, `tessera:field '${key}' type '${typeText}' is not one of ${FIELD_TYPES.join(', ')}`);
    const valuesText = text(field, 'values');
    const values = valuesText?.split(',').map((value) => value.trim()).filter((value) => value !== '');
    if (type === 'enum' && (values === undefined || values.length === 0)) {
      report(id, `tessera:field '${key}' of type enum needs values (comma-separated)`);
    }
    const fallback = text(field, 'default');
    return {
      key,
      label: text(field, 'label') ?? key,
      type: type ?? 'string',
      required: flag(field, 'required', false),
      ...(fallback === undefined ? {} : { default: fallback }),
      ...(values === undefined ? {} : { values })
    };
  });
}
