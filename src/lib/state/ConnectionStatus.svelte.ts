/** What the app can reach: the network (navigator.onLine) and the relay (/healthz). */
export type Connection = 'online' | 'relay-unreachable' | 'offline' | 'checking';

export interface ConnectionOptions {
  /** How often the relay is probed while the page is visible. */
  intervalMs?: number;
  /** A probe slower than this counts as unreachable. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Tracks connectivity as runes; `start()` begins probing and returns the function that stops it. */
export class ConnectionStatus {
  online = $state(true);
  relay = $state<'unknown' | 'reachable' | 'unreachable'>('unknown');
  relayVersion = $state<string | null>(null);
  checkedAt = $state<number | null>(null);

  readonly state: Connection = $derived(
    !this.online ? 'offline' : this.relay === 'reachable' ? 'online' : this.relay === 'unknown' ? 'checking' : 'relay-unreachable'
  );

  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ConnectionOptions = {}) {
    this.#intervalMs = options.intervalMs ?? 15_000;
    this.#timeoutMs = options.timeoutMs ?? 4_000;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Probes now and on every network change, visibility change and interval tick. */
  start(): () => void {
    this.online = navigator.onLine;
    const probe = () => void this.probe();
    const offline = () => {
      this.online = false;
      this.relay = 'unreachable';
    };
    const visible = () => {
      if (document.visibilityState === 'visible') probe();
    };
    window.addEventListener('online', probe);
    window.addEventListener('offline', offline);
    document.addEventListener('visibilitychange', visible);
    const timer = setInterval(visible, this.#intervalMs);
    probe();
    return () => {
      window.removeEventListener('online', probe);
      window.removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', visible);
      clearInterval(timer);
    };
  }

  /** Asks the relay's /healthz once, bypassing every cache. */
  async probe(): Promise<void> {
    this.online = navigator.onLine;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#timeoutMs);
    try {
      const response = await this.#fetch('/healthz', { cache: 'no-store', signal: abort.signal });
      const body = (await response.json()) as { ok?: unknown; version?: unknown };
      this.relay = response.ok && body.ok === true ? 'reachable' : 'unreachable';
      this.relayVersion = typeof body.version === 'string' ? body.version : null;
    } catch {
      this.relay = 'unreachable';
    } finally {
      clearTimeout(timer);
      this.checkedAt = Date.now();
    }
  }
}
