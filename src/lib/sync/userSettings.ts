/** Who I am to collaborators: id, name and colour, kept in localStorage (editable in the Collab bar). */
export interface CollabUser {
  id: string;
  name: string;
  color: string;
}

const KEY = 'tessera.collab.user';
const COLORS = ['#d9480f', '#1971c2', '#2f9e44', '#9c36b5', '#e67700', '#0c8599', '#c2255c', '#5f3dc4'];

export function loadUser(): CollabUser {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as CollabUser | null;
    if (stored?.id && stored.name && stored.color) return stored;
  } catch {
    // a broken entry is replaced below
  }
  const id = crypto.randomUUID();
  const user = { id, name: `Guest ${id.slice(0, 4)}`, color: COLORS[[...id].reduce((sum, c) => sum + c.charCodeAt(0), 0) % COLORS.length]! };
  saveUser(user);
  return user;
}

export function saveUser(user: CollabUser): void {
  localStorage.setItem(KEY, JSON.stringify(user));
}
