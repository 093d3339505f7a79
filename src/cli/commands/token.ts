import { Role, roomGrantSchema } from '../../lib/protocol/syncProtocol.js';
import { parseTtl, signToken } from '../../../sync-server/sync/tokens.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const usage = `tessera token --room R --role view|edit|run|runner [--sub NAME] [--ttl PT8H] [--secret S] [--relay URL]

Signs an access token (HS256 JWT) for a relay room and prints it.
  --room R      diagram:<id> or run:<id>, or a prefix grant such as diagram:* (every diagram)
  --role ROLE   view (read only), edit, run, runner
  --sub NAME    who the token is for (default: $USER, else "user")
  --ttl D       lifetime, ISO 8601 duration or seconds (default PT8H, at most P30D)
  --secret S    the relay's signing secret (or $TESSERA_SECRET)
  --relay URL   also print an invite link to the app on that relay (needs an exact room)`;

const MAX_TTL_SECONDS = 30 * 86400;
const roles = Object.values(Role) as string[];

/** Prints the token, and with --relay an invite URL, or an error saying what is wrong. */
export async function mintToken(
  args: string[],
  env: Record<string, string | undefined>,
  now = Date.now()
): Promise<{ ok: true; lines: string[] } | { ok: false; error: string }> {
  let values;
  try {
    const parsed = parseCommandArgs(args, { room: 'string', role: 'string', sub: 'string', ttl: 'string', secret: 'string', relay: 'string' });
    if (parsed.positionals.length > 0) return { ok: false, error: `unexpected argument "${parsed.positionals[0]}"` };
    values = parsed.flags as Partial<Record<string, string>>;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const room = values.room ?? '';
  if (!roomGrantSchema.safeParse(room).success) return { ok: false, error: `--room must be diagram:<id>, run:<id> or a prefix ending in * (got "${room}")` };
  const role = values.role ?? '';
  if (!roles.includes(role)) return { ok: false, error: `--role must be one of ${roles.join(', ')}` };
  const ttlSeconds = parseTtl(values.ttl ?? 'PT8H');
  if (ttlSeconds === undefined || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    return { ok: false, error: `--ttl must be an ISO 8601 duration (PT8H) or seconds, up to P30D` };
  }
  const secret = values.secret ?? (env.TESSERA_SECRET || undefined);
  if (!secret) return { ok: false, error: 'no secret: pass --secret or set TESSERA_SECRET (the one the relay was started with)' };
  const sub = values.sub ?? (env.USER || 'user');
  const token = await signToken(secret, { sub, room, role: role as Role, ttlSeconds }, now);
  const lines = [token];
  if (values.relay) {
    if (room.endsWith('*')) return { ok: false, error: '--relay invite URLs need an exact --room' };
    lines.push(inviteUrl(values.relay, room, role as Role, token));
  }
  return { ok: true, lines };
}

/** The app link a collaborator opens: the page reads `token` and `role` from its query (CollabBar). */
export function inviteUrl(relay: string, room: string, role: Role, token: string): string {
  const colon = room.indexOf(':');
  const [kind, id] = [room.slice(0, colon), room.slice(colon + 1)];
  const url = new URL(`${kind === 'diagram' ? 'diagrams' : 'runs'}/${encodeURIComponent(id)}`, relay.endsWith('/') ? relay : `${relay}/`);
  url.searchParams.set('token', token);
  url.searchParams.set('role', role);
  return url.toString();
}

export const token: Command = {
  name: 'token',
  summary: 'sign an access token for a relay room',
  usage,
  async run(args) {
    const result = await mintToken(args, process.env);
    if (!result.ok) {
      process.stderr.write(`tessera token: ${result.error}\n\n${usage}\n`);
      return 2;
    }
    process.stdout.write(`${result.lines.join('\n')}\n`);
    return 0;
  }
};
