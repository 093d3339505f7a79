/**
 * Opens a diagram for collaboration (COLLAB.md "Opening, seeding, offline"): y-indexeddb first, then
 * the y-websocket provider to the relay (room "diagram:<id>", token from the share link or the
 * loopback /api/token) with a sync timeout. An empty room is seeded by its creator only; otherwise
 * the canvas is imported from XML generated from Y. Then the binding and presence start.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { authorOf, elementsOf, LOCAL_ORIGIN, readMeta, type Author } from './doc.js';
import { generateXml } from './generateXml.js';
import { seedFromXml } from './seedFromXml.js';
import CollabBinding from './binding/CollabBinding.js';
import { Presence } from './presence/Presence.js';
import { mintToken, RelayAccess, TokenKeeper, type Role } from './relayAccess.js';
import { loadUser, type CollabUser } from './userSettings.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js Modeler is untyped here */
export type { Role } from './relayAccess.js';
export type ConnectionStatus = 'offline' | 'connecting' | 'syncing' | 'online';

export interface CollabOptions {
  diagramId: string;
  /** http(s) origin of the relay; its /sync endpoint carries the rooms. */
  relayUrl: string;
  /** From a share link; otherwise minted by the loopback relay. */
  token?: string;
  role?: Role;
  /** Only the creator (who has the diagram locally and no link) seeds an empty room. */
  creator: boolean;
  syncTimeoutMs?: number;
}

export class CollabSession {
  readonly doc = new Y.Doc();
  readonly user: CollabUser = loadUser();
  provider: WebsocketProvider | undefined;
  /** Instantiated on the modeler's injector (no change to how the modeler is created). */
  readonly binding: CollabBinding;
  presence: Presence | undefined;
  role: Role;
  #idb: IndexeddbPersistence | undefined;
  /** Renews the relay token on expiry; says why when access cannot be restored. */
  tokens: TokenKeeper | undefined;
  /** No relay token (e.g. `npm run dev`): the editor stays local-only, as without collaboration. */
  localOnly = false;
  #importing = false;
  #listeners = new Set<() => void>();

  private constructor(
    private modeler: any,
    readonly options: CollabOptions
  ) {
    this.role = options.role ?? 'edit';
    this.binding = modeler.get('injector').instantiate(CollabBinding);
  }

  static async open(modeler: any, options: CollabOptions): Promise<CollabSession> {
    const session = new CollabSession(modeler, options);
    await session.#start();
    return session;
  }

  get room(): string {
    return `diagram:${this.options.diagramId}`;
  }

  get status(): ConnectionStatus {
    const provider = this.provider;
    if (!provider) return 'offline';
    if (!provider.wsconnected) return provider.wsconnecting ? 'connecting' : 'offline';
    return provider.synced ? 'online' : 'syncing';
  }

  /** Why the relay refuses this session (expired link, another diagram's link); shown in the collab bar. */
  get accessProblem(): string | undefined {
    return this.tokens?.problem;
  }

  /** Local edits the relay may not have yet (the provider is not synced, or is disconnected). */
  get pendingChanges(): boolean {
    return this.status !== 'online' && this.#dirty;
  }
  #dirty = false;

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit = (): void => this.#listeners.forEach((l) => l());

  async #start(): Promise<void> {
    const access = new RelayAccess({ relayUrl: this.options.relayUrl, room: this.room, role: this.role, sub: this.user.id, linkToken: this.options.token });
    const token = await access.first();
    if (!token) {
      this.localOnly = true;
      this.#emit();
      return;
    }
    this.#idb = new IndexeddbPersistence(`tessera:diagram:${this.options.diagramId}`, this.doc);
    await this.#idb.whenSynced;
    const url = `${this.options.relayUrl.replace(/^http/, 'ws')}/sync`;
    this.provider = new WebsocketProvider(url, this.room, this.doc, { params: { token }, maxBackoffTime: 2500 });
    this.tokens = new TokenKeeper(this.provider, access, this.#emit);
    this.provider.on('status', this.#emit);
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.#dirty = false;
      this.#emit();
    });
    await this.#synced(this.options.syncTimeoutMs ?? 4000);
    this.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== this.provider && origin !== this.#idb) {
        this.#dirty = true;
        this.#emit();
      }
    });
    const binding = this.binding;
    binding.author = { id: this.user.id, name: this.user.name };
    if (!readMeta(this.doc)) {
      if (this.options.creator && this.role === 'edit') {
        const { xml } = await this.modeler.saveXML();
        await seedFromXml(this.doc, xml);
      }
    } else {
      this.#importing = true;
      try {
        await this.modeler.importXML(await generateXml(this.doc));
      } finally {
        this.#importing = false;
      }
    }
    binding.bind(this.doc);
    // Open file / restore version import whole XML: that replaces the shared diagram (one transaction).
    this.modeler.get('eventBus').on('import.done', (event: { error?: unknown }) => {
      if (this.#importing || binding.rebuilding || event.error || this.role !== 'edit' || !binding.doc) return;
      void this.modeler.saveXML().then(({ xml }: { xml: string }) => this.#replaceWith(xml));
    });
    if (this.provider) this.presence = new Presence(this.modeler, this.provider.awareness, this.user);
    this.#emit();
  }

  async #replaceWith(xml: string): Promise<void> {
    const fresh = new Y.Doc();
    await seedFromXml(fresh, xml);
    this.doc.transact(() => {
      for (const name of ['meta', 'elements', 'roots', 'nestedDi'] as const) {
        const target = this.doc.getMap(name);
        const source = fresh.getMap(name) as Y.Map<unknown>;
        for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key);
        for (const [key, value] of source) target.set(key, value instanceof Y.Map ? cloneMap(value) : value);
      }
    }, LOCAL_ORIGIN);
    fresh.destroy();
  }

  #synced(ms: number): Promise<void> {
    const provider = this.provider!;
    if (provider.synced) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      provider.once('sync', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Who last changed element `id` (its shared entry's `by`), for the "changed by X" hint. */
  changedBy(id: string): Author | undefined {
    return this.binding.doc ? authorOf(elementsOf(this.doc).get(id)) : undefined;
  }

  /**
   * Calls `listener` with who last changed the one selected element ('you', a name, or undefined)
   * whenever the selection or the diagram changes; returns the unsubscribe.
   */
  watchChangedBy(listener: (name: string | undefined) => void): () => void {
    const eventBus = this.modeler.get('eventBus');
    const events = ['selection.changed', 'collab.applied', 'elements.changed'];
    const update = () => {
      const selected: { id: string; businessObject?: { id?: string } }[] = this.modeler.get('selection').get();
      const id = selected.length === 1 ? (selected[0]!.businessObject?.id ?? selected[0]!.id) : undefined;
      const author = id ? this.changedBy(id) : undefined;
      listener(author ? (author.id === this.user.id ? 'you' : author.name) : undefined);
    };
    eventBus.on(events, update);
    return () => eventBus.off(events, update);
  }

  /** Renames the local user for presence and for the "changed by" of later edits. */
  setUser(user: CollabUser): void {
    this.binding.author = { id: user.id, name: user.name };
    this.presence?.setUser(user);
  }

  /** An invite link to this diagram with a token of `role` (minted by the loopback relay). */
  async inviteLink(role: Role, base: string): Promise<string | undefined> {
    const token = await mintToken(this.options.relayUrl, this.room, role, `invite-${role}`);
    if (!token) return undefined;
    const url = new URL(`diagrams/${encodeURIComponent(this.options.diagramId)}`, base);
    url.searchParams.set('token', token);
    url.searchParams.set('role', role);
    return url.toString();
  }

  destroy(): void {
    this.tokens?.stop();
    this.presence?.destroy();
    this.binding.unbind();
    this.provider?.destroy();
    void this.#idb?.destroy();
    this.doc.destroy();
  }
}

function cloneMap(map: Y.Map<unknown>): Y.Map<unknown> {
  const copy = new Y.Map<unknown>();
  for (const [key, value] of map) copy.set(key, value instanceof Y.Map ? cloneMap(value) : value);
  return copy;
}
