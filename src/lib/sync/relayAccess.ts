/**
 * Relay tokens for a collaboration room: where they come from (a share link, or minted by a loopback
 * relay's /api/token) and keeping a y-websocket provider connected with a valid one (TokenKeeper).
 */
import type { WebsocketProvider } from 'y-websocket';
import { z } from 'zod';
import { SyncCloseCode } from '../protocol/syncProtocol.js';

export type Role = 'view' | 'edit';

/** The relay's answer from /api/token/check (crosses a trust boundary: parsed). */
const verdictSchema = z.union([
  z.object({ ok: z.literal(true), role: z.string(), expiresAt: z.number() }),
  z.object({ ok: z.literal(false), status: z.number(), reason: z.string() })
]);
export type TokenVerdict = z.infer<typeof verdictSchema>;

const mintedSchema = z.object({ ok: z.literal(true), token: z.string().min(1) });

export interface AccessOptions {
  /** http(s) origin of the relay. */
  relayUrl: string;
  room: string;
  role: Role;
  /** Who the minted token names (the local user's id). */
  sub: string;
  /** The token from a share link, if the diagram was opened through one. */
  linkToken?: string;
}

/** Where the room's tokens come from, and the relay's verdict on one. */
export class RelayAccess {
  constructor(readonly options: AccessOptions) {}

  /** True when the first token came from a share link (a relay that mints nothing cannot renew it). */
  get fromLink(): boolean {
    return this.options.linkToken !== undefined;
  }

  /** The first token: the link's, or a minted one; undefined when this relay mints none (local-only). */
  first(): Promise<string | undefined> {
    return this.options.linkToken !== undefined ? Promise.resolve(this.options.linkToken) : this.mint();
  }

  /** A fresh token for the room (minted: only a loopback relay mints, for local callers). */
  mint(): Promise<string | undefined> {
    return mintToken(this.options.relayUrl, this.options.room, this.options.role, this.options.sub);
  }

  /** Why the relay would refuse `token` for the room; undefined when the relay cannot be reached. */
  async check(token: string): Promise<TokenVerdict | undefined> {
    try {
      const response = await fetch(`${this.options.relayUrl}/api/token/check?${new URLSearchParams({ room: this.options.room })}`, {
        headers: { authorization: `Bearer ${token}` }
      });
      if (response.status === 404) return undefined; // an older relay without the check: treat as unknown
      const parsed = verdictSchema.safeParse(await response.json());
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Mints a token from the relay's /api/token (loopback relays only); undefined when refused or unreachable. */
export async function mintToken(relayUrl: string, room: string, role: Role, sub: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${relayUrl}/api/token?${new URLSearchParams({ room, role, sub })}`);
    if (!response.ok) return undefined;
    const body = mintedSchema.safeParse(await response.json());
    return body.success ? body.data.token : undefined;
  } catch {
    return undefined;
  }
}

/** Closes in a row that never opened before the relay is asked why (one may be a network blip). */
const FAILURES_BEFORE_ASKING = 2;
/** Fresh tokens tried without a connection opening before giving up with a message. */
const MAX_RENEWALS = 2;
const RETRY_MS = 1500;

/**
 * Keeps `provider` connected with a valid token. On close 4003 (the token ran out; the relay ends
 * connections with their token) it fetches a fresh token the way the first came and reconnects.
 * A refused upgrade looks like a network error to a browser, so after sockets keep failing before
 * they open it asks the relay why: expired → fresh token; refused for good (another room, invalid
 * or revoked, no way to mint) → `problem` says so and reconnecting stops instead of looping.
 * Local edits stay in the Y.Doc meanwhile and go out with the next sync.
 */
export class TokenKeeper {
  /** What the collab bar shows when access cannot be restored here; undefined while all is well. */
  problem: string | undefined;
  /** Fresh tokens this keeper put in (for tests and diagnostics). */
  renewals = 0;
  #opened = false;
  #failures = 0;
  #renewalsSinceOpen = 0;
  #busy = false;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private provider: WebsocketProvider,
    private access: RelayAccess,
    private onChange: () => void = () => {}
  ) {
    provider.shouldReconnect = (event) => this.#decide(event);
    provider.on('status', ({ status }: { status: string }) => {
      if (status !== 'connected') return;
      this.#opened = true;
      this.#failures = 0;
      this.#renewalsSinceOpen = 0;
    });
  }

  get token(): string | undefined {
    return this.provider.params.token;
  }

  /** Stops retrying (the session is closing). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #decide(event: CloseEvent): boolean {
    const opened = this.#opened;
    this.#opened = false;
    if (this.#stopped) return false;
    if (event.code === SyncCloseCode.tokenExpired) {
      void this.#recover({ ok: false, status: 401, reason: 'token expired' });
      return false;
    }
    if (event.code >= 4400 && event.code < 4500) return false; // y-websocket's "permanent" range
    if (opened) return true;
    if (++this.#failures < FAILURES_BEFORE_ASKING) return true;
    void this.#recover(undefined);
    return false;
  }

  /** Reconnecting is paused here; every path ends in connect() or a `problem`. */
  async #recover(known: TokenVerdict | undefined): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const token = this.token;
      const verdict = known ?? (token ? await this.access.check(token) : { ok: false as const, status: 401, reason: 'missing token' });
      // Unreachable, or the token is fine (a full relay, a blip): keep trying as the provider would.
      if (!verdict || verdict.ok) return this.#retryLater();
      if (this.#renewalsSinceOpen < MAX_RENEWALS) {
        const fresh = await this.access.mint();
        if (fresh && !this.#stopped) {
          this.#renewalsSinceOpen++;
          this.renewals++;
          this.provider.params = { ...this.provider.params, token: fresh };
          this.#failures = 0;
          this.provider.connect();
          return;
        }
      }
      this.problem = describe(verdict, this.access.fromLink);
      this.onChange();
    } finally {
      this.#busy = false;
    }
  }

  #retryLater(): void {
    clearTimeout(this.#timer);
    this.#failures = 0;
    this.#timer = setTimeout(() => {
      if (!this.#stopped) this.provider.connect();
    }, RETRY_MS);
  }
}

/** A message for the collab bar: what happened and what to do; local edits are never lost. */
export function describe(verdict: { status: number; reason: string }, fromLink: boolean): string {
  const keep = 'Your changes stay on this device.';
  if (verdict.reason === 'token expired') {
    return fromLink ? `Your access link has expired: ask for a new link. ${keep}` : `Access expired and this relay gives out no new tokens here. ${keep}`;
  }
  if (verdict.status === 403) return `This link is for another diagram: the relay refused it. ${keep}`;
  return `The relay no longer accepts this ${fromLink ? 'link' : 'token'} (revoked, or the relay's key changed): ask for a new link. ${keep}`;
}
