/**
 * RFC 8785 (JCS) canonical JSON. ECMAScript's own number and string serialisation is what JCS
 * specifies, so JSON.stringify does the leaves; we only sort keys (by UTF-16 code units, which is
 * JavaScript's default string order) and drop `undefined` members like JSON does.
 */

/** Canonical JSON text of a JSON value; throws on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`canonical JSON cannot represent ${value}`);
    }
    if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'null' : canonicalJson(item);
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key) + ':' + canonicalJson(member);
  }
  return out + '}';
}
