/**
 * A connection to a run room ("run:<id>") on the relay: a fresh Y.Doc (no IndexedDB copy — the
 * executor's store is the run's truth, and a replica re-syncs in one round trip) and the
 * y-websocket provider, with the relay's refusals (y-protocols auth "permission denied")
 * surfaced instead of only logged. No BroadcastChannel between tabs: every update goes through
 * the relay, whose RunRoomPolicy is the one gate for what lands in a run doc.
 */
import * as authProtocol from 'y-protocols/auth';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type * as decoding from 'lib0/decoding';

export type RunRoomStatus = 'connecting' | 'online' | 'offline';

const MESSAGE_AUTH = 2;

export class RunRoomConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  /** The relay's reasons for updates of ours it dropped, newest last. */
  readonly denied: string[] = [];
  #listeners = new Set<() => void>();

  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  /** `refresh` mints a new token: the relay closes a connection when its token expires (4003). */
  constructor(relayUrl: string, runId: string, token: string, refresh?: () => Promise<string | undefined>) {
    const url = `${relayUrl.replace(/^http/, 'ws')}/sync`;
    this.provider = new WebsocketProvider(url, `run:${runId}`, this.doc, { params: { token }, maxBackoffTime: 2500, disableBc: true });
    this.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder: decoding.Decoder) => {
      authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) => {
        this.denied.push(reason);
        this.#emit();
      });
    };
    this.provider.on('status', this.#emit);
    this.provider.on('sync', this.#emit);
    this.doc.on('update', this.#emit);
    if (refresh) this.#scheduleRefresh(token, refresh);
  }

  /** A minute before the token expires, the next reconnect gets a fresh one. */
  #scheduleRefresh(token: string, refresh: () => Promise<string | undefined>): void {
    const exp = tokenExpiry(token);
    if (exp === undefined) return;
    const delay = Math.max(5_000, exp * 1000 - Date.now() - 60_000);
    this.#refreshTimer = setTimeout(() => {
      void refresh().then((fresh) => {
        if (!fresh) return this.#scheduleRefresh(token, refresh);
        this.provider.params = { ...this.provider.params, token: fresh };
        this.#scheduleRefresh(fresh, refresh);
      });
    }, Math.min(delay, 2 ** 31 - 1));
  }

  /** Opens a run room with a token from a link, or one the loopback relay mints for `user`. */
  static async open(relayUrl: string, runId: string, options: { token?: string; user: string }): Promise<RunRoomConnection | undefined> {
    if (options.token) return new RunRoomConnection(relayUrl, runId, options.token);
    const mint = () => mintRunToken(relayUrl, runId, 'run', options.user);
    const token = await mint();
    return token ? new RunRoomConnection(relayUrl, runId, token, mint) : undefined;
  }

  get status(): RunRoomStatus {
    if (this.provider.wsconnected) return this.provider.synced ? 'online' : 'connecting';
    return this.provider.wsconnecting ? 'connecting' : 'offline';
  }

  /** Resolves once the doc holds what the relay has (after each reconnect, `onSynced` fires again). */
  whenSynced(): Promise<void> {
    if (this.provider.synced) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (synced: boolean) => {
        if (!synced) return;
        this.provider.off('sync', done);
        resolve();
      };
      this.provider.on('sync', done);
    });
  }

  onSynced(listener: () => void): () => void {
    const handler = (synced: boolean) => synced && listener();
    this.provider.on('sync', handler);
    return () => this.provider.off('sync', handler);
  }

  /** Called on every change: doc updates, connection status, refusals. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit = (): void => this.#listeners.forEach((listener) => listener());

  destroy(): void {
    clearTimeout(this.#refreshTimer);
    this.#listeners.clear();
    this.provider.destroy();
    this.doc.destroy();
  }
}

/** A run-room token from the loopback relay's /api/token (undefined when it does not mint here). */
export async function mintRunToken(relayUrl: string, runId: string, role: 'view' | 'run', sub: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${relayUrl}/api/token?${new URLSearchParams({ room: `run:${runId}`, role, sub })}`);
    if (!response.ok) return undefined;
    const body = (await response.json()) as { ok?: boolean; token?: string };
    return body.ok && typeof body.token === 'string' ? body.token : undefined;
  } catch {
    return undefined;
  }
}

/** The page a collaborator opens to watch (and, with a `run` token, act on) a shared run. */
export function runInviteLink(base: string, runId: string, token: string): string {
  const url = new URL(`/runs/shared/${encodeURIComponent(runId)}`, base);
  url.searchParams.set('token', token);
  return url.toString();
}

/** A JWT's `exp` (seconds), read without verifying (the relay verifies). */
function tokenExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}
