export type SecretResolution = { ok: true; value: string } | { ok: false; reason: string };

/** A whole value `secrets.NAME`, or `${secrets.NAME}` inside a longer value. */
const WHOLE = /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/;
const EMBEDDED = /\$\{secrets\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces secret references in one argument or env value with the runner's secrets.
 * Secrets live only on the runner, so an unknown name refuses the command rather than
 * passing the reference through as text.
 */
export function resolveSecrets(value: string, secrets: Readonly<Record<string, string>>): SecretResolution {
  const whole = WHOLE.exec(value);
  if (whole) return lookup(whole[1] ?? '', secrets);
  let missing: string | undefined;
  const replaced = value.replace(EMBEDDED, (reference, name: string) => {
    const found = lookup(name, secrets);
    if (found.ok) return found.value;
    missing ??= name;
    return reference;
  });
  return missing === undefined ? { ok: true, value: replaced } : lookup(missing, secrets);
}

function lookup(name: string, secrets: Readonly<Record<string, string>>): SecretResolution {
  return Object.hasOwn(secrets, name) && typeof secrets[name] === 'string'
    ? { ok: true, value: secrets[name] }
    : { ok: false, reason: `unknown secret "${name}"` };
}
