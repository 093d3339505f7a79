/**
 * A parsed moddle element seen as plain data. Compile reads untrusted documents, so every
 * property is `unknown` until one of these accessors has checked its shape.
 */
export interface ModdleNode {
  readonly $type: string;
  readonly id?: string;
  readonly [property: string]: unknown;
}

/** Whether a value is a moddle element (has a `$type`). */
export function isNode(value: unknown): value is ModdleNode {
  return typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string';
}

/** A child element, or undefined. */
export function child(node: ModdleNode, property: string): ModdleNode | undefined {
  const value = node[property];
  return isNode(value) ? value : undefined;
}

/** A many-valued child property as an array of elements (empty when absent). */
export function children(node: ModdleNode, property: string): ModdleNode[] {
  const value = node[property];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/** A string attribute, or undefined when absent or empty. */
export function text(node: ModdleNode, property: string): string | undefined {
  const value = node[property];
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A boolean attribute (moddle has already typed it), or the fallback. */
export function flag(node: ModdleNode, property: string, fallback: boolean): boolean {
  const value = node[property];
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fallback;
}

/** The element's id, or '' when it has none. */
export function idOf(node: ModdleNode | undefined): string {
  return node !== undefined && typeof node.id === 'string' ? node.id : '';
}

/** Extension elements of a given `prefix:Type` on an element. */
export function extensions(node: ModdleNode, type: string): ModdleNode[] {
  const holder = child(node, 'extensionElements');
  return holder ? children(holder, 'values').filter((value) => value.$type === type) : [];
}

/** The first extension element of a type, or undefined. */
export function extension(node: ModdleNode, type: string): ModdleNode | undefined {
  return extensions(node, type)[0];
}

/** The body text of a FormalExpression-like child (`conditionExpression`, `timeDuration`, …). */
export function bodyOf(node: ModdleNode, property: string): string | undefined {
  const value = node[property];
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  return isNode(value) ? text(value, 'body') : undefined;
}
