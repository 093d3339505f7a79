/** Local claims of user tasks (this browser only: there is no server of record for them). */
const KEY = 'tessera.claims';
const USER = 'tessera.user';

export type Claims = Record<string, string>;

export function taskKey(runId: string, instance: string): string {
  return `${runId}:${instance}`;
}

export function loadClaims(storage: Pick<Storage, 'getItem'> = localStorage): Claims {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Claims) : {};
  } catch {
    return {};
  }
}

export function saveClaims(claims: Claims, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(KEY, JSON.stringify(claims));
}

export function loadUser(storage: Pick<Storage, 'getItem'> = localStorage): string {
  return storage.getItem(USER) ?? 'me';
}

export function saveUser(user: string, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(USER, user);
}
