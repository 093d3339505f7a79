/**
 * The runs this browser shares, and their publishers: for each shared run that no other tab
 * executes, this tab connects to the run's room and publishes it (RunPublisher: lease, records,
 * intents). Which runs are shared is kept in localStorage, so every tab — and the tab that takes
 * a run over when its executor closes — knows. Started once per tab from the layout.
 */
import type { EngineClient } from '../worker/EngineClient.js';
import type { CollabSession } from '../sync/CollabSession.js';
import { RunPublisher, type ExecutorPort } from '../sync/runs/RunPublisher.js';
import { mintRunToken, RunRoomConnection, runInviteLink } from '../sync/runs/RunRoomConnection.js';
import { loadUser } from '../sync/userSettings.js';

declare global {
  interface Window {
    tesseraSharedRuns?: SharedRuns;
    /** The diagram's collaboration session (set by CollabBar). */
    tesseraCollab?: CollabSession;
  }
}

const KEY = 'tessera.sharedRuns';

/** What the run page shows about a shared run in this tab. */
export type ShareState = 'connecting' | 'publishing' | 'waiting for the lease' | 'elsewhere' | 'done' | 'no relay';

export interface InviteLinks {
  run?: string;
  view?: string;
}

interface Active {
  connection: RunRoomConnection;
  publisher: RunPublisher;
}

export class SharedRuns {
  /** Shared run id → records known published (finished runs that are fully published are left alone). */
  shared = $state.raw<Record<string, number>>(loadShared());
  states = $state.raw<Record<string, ShareState>>({});
  readonly #client: EngineClient;
  readonly #relayUrl: string;
  // Bookkeeping of connections, not state the UI reads (that is `states`).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- see above
  readonly #active = new Map<string, Active>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- see above
  readonly #starting = new Set<string>();

  constructor(client: EngineClient, relayUrl: string) {
    this.#client = client;
    this.#relayUrl = relayUrl;
  }

  /** Follows run changes and other tabs' shares; returns the stop function. */
  start(): () => void {
    let offRuns: (() => void) | undefined;
    let stopped = false;
    const follow = async () => {
      offRuns?.();
      const off = await this.#client.subscribeRuns((runIds) => runIds.filter((id) => id in this.shared).forEach((id) => void this.#evaluate(id)));
      if (stopped) off();
      else offRuns = off;
      // A restarted worker: the publishers' record feeds are gone with the old one.
      for (const runId of [...this.#active.keys()]) this.#stop(runId);
      for (const runId of Object.keys(this.shared)) void this.#evaluate(runId);
    };
    void follow();
    const offRestart = this.#client.onRestart(() => void follow());
    const onStorage = (event: StorageEvent) => {
      if (event.key !== KEY) return;
      this.shared = loadShared();
      for (const runId of Object.keys(this.shared)) void this.#evaluate(runId);
    };
    window.addEventListener('storage', onStorage);
    // A run another tab executed may become this tab's (its tab closed): look again now and then.
    const poll = setInterval(() => {
      for (const runId of Object.keys(this.shared)) if (!this.#active.has(runId) && this.states[runId] !== 'done') void this.#evaluate(runId);
    }, 2000);
    return () => {
      clearInterval(poll);
      stopped = true;
      offRuns?.();
      offRestart();
      window.removeEventListener('storage', onStorage);
      for (const runId of [...this.#active.keys()]) this.#stop(runId);
    };
  }

  isShared(runId: string): boolean {
    return runId in this.shared;
  }

  /** Shares a run (its records replicate to the relay from now on) and returns invite links. */
  async share(runId: string, base: string = location.href): Promise<InviteLinks> {
    if (!this.isShared(runId)) {
      this.shared = { ...this.shared, [runId]: 0 };
      saveShared(this.shared);
    }
    void this.#evaluate(runId);
    const [run, view] = await Promise.all([
      mintRunToken(this.#relayUrl, runId, 'run', 'collaborator'),
      mintRunToken(this.#relayUrl, runId, 'view', 'viewer')
    ]);
    const link = (token: string | undefined) => (token ? runInviteLink(base, runId, token) : undefined);
    return { run: link(run), view: link(view) };
  }

  async #evaluate(runId: string): Promise<void> {
    if (this.#starting.has(runId)) return;
    const run = await this.#client.api.getRun(runId).then((detail) => detail?.run).catch(() => undefined);
    const active = this.#active.get(runId);
    if (!run || run.executing === 'elsewhere') {
      if (active) this.#stop(runId);
      this.#setState(runId, 'elsewhere');
      return;
    }
    const finished = run.status !== 'running';
    if (finished && (this.shared[runId] ?? 0) >= run.count) {
      if (active) this.#stop(runId);
      this.#setState(runId, 'done');
      return;
    }
    if (active) {
      if (finished && active.publisher.settled(run.count)) this.#done(runId, run.count);
      return;
    }
    this.#starting.add(runId);
    try {
      await this.#publish(runId);
    } finally {
      this.#starting.delete(runId);
    }
  }

  async #publish(runId: string): Promise<void> {
    const user = loadUser();
    this.#setState(runId, 'connecting');
    const connection = await RunRoomConnection.open(this.#relayUrl, runId, { user: user.id });
    if (!connection) return this.#setState(runId, 'no relay');
    await connection.whenSynced();
    const client = this.#client;
    const port: ExecutorPort = {
      info: async () => {
        const { run, xml } = await client.api.exportChain(runId);
        return { runId, processId: run.processId, xmlSha256: run.xmlSha256, xml: xml ?? '' };
      },
      subscribeRecords: (fromSeq, listener) => client.subscribeRecords(runId, fromSeq, (records) => listener(records)),
      completeUserTask: (instance, variables, by) => client.api.completeUserTask(runId, instance, variables, by),
      resolveIncident: (incident, by) => client.api.resolveIncident(runId, incident, by)
    };
    const publisher = new RunPublisher(connection.doc, port, { user: user.id });
    this.#active.set(runId, { connection, publisher });
    // A reconnect re-claims the lease (the relay keeps it for its holder through a short outage).
    connection.onSynced(() => publisher.claim());
    let denials = 0;
    connection.onChange(() => {
      this.#setState(runId, publisher.holding ? 'publishing' : 'waiting for the lease');
      if (connection.denied.length > denials) {
        denials = connection.denied.length;
        // The relay dropped a write of ours: our doc is ahead of the truth. Start over from the relay.
        this.#stop(runId);
        setTimeout(() => void this.#evaluate(runId), 1000);
      }
    });
    await publisher.start();
  }

  #done(runId: string, count: number): void {
    this.#stop(runId);
    this.shared = { ...this.shared, [runId]: count };
    saveShared(this.shared);
    this.#setState(runId, 'done');
  }

  #stop(runId: string): void {
    const active = this.#active.get(runId);
    if (!active) return;
    this.#active.delete(runId);
    active.publisher.stop();
    active.connection.destroy();
  }

  #setState(runId: string, state: ShareState): void {
    if (this.states[runId] !== state) this.states = { ...this.states, [runId]: state };
  }
}

/** This tab's shared runs (one per tab, like its engine); exposed on window for tests. */
export function getSharedRuns(client: EngineClient): SharedRuns {
  window.tesseraSharedRuns ??= new SharedRuns(client, location.origin);
  return window.tesseraSharedRuns;
}

/**
 * Shares a run started from a diagram that is shared right now: its collaboration session is on
 * the relay and was opened from an invite link, or others are in it. Collaborators then see runs
 * of the diagram they work on without anyone pressing Share run.
 */
export async function autoShareRun(client: EngineClient, runId: string, diagramId: string): Promise<boolean> {
  const session = window.tesseraCollab;
  if (!session || session.options.diagramId !== diagramId || session.localOnly || session.status !== 'online') return false;
  const withOthers = session.options.token !== undefined || (session.presence?.peers().length ?? 0) > 0;
  if (!withOthers) return false;
  await getSharedRuns(client).share(runId);
  return true;
}

function loadShared(): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
  } catch {
    return {};
  }
}

function saveShared(shared: Record<string, number>): void {
  localStorage.setItem(KEY, JSON.stringify(shared));
}
