export const REDACTED = '***';

/** Replaces every occurrence of each secret value with `***`, longest secrets first. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const values = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  let result = text;
  for (const value of values) result = result.split(value).join(REDACTED);
  return result;
}
