/** The diagram library page: the list, search, run counts and the intents on diagrams. */
import type { DiagramLibrary, LibraryEntry } from '../store/dexie/DiagramLibrary.js';
import type { DiagramSummary } from '../store/dexie/DiagramStore.js';
import type { ReadDiagram } from '../modeler/files/readBpmn.js';

/** Run counts by XML hash: every version of a diagram counts its runs. */
export type RunCounter = () => Promise<ReadonlyMap<string, number>>;

export class LibraryState {
  entries = $state.raw<LibraryEntry[]>([]);
  // Replaced wholesale (a $state.raw value), never mutated in place: no SvelteMap needed.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  runCounts = $state.raw<ReadonlyMap<string, number>>(new Map<string, number>([]));
  loaded = $state(false);
  query = $state('');
  readonly #library: DiagramLibrary;
  readonly #countRuns: RunCounter;

  constructor(library: DiagramLibrary, countRuns: RunCounter) {
    this.#library = library;
    this.#countRuns = countRuns;
  }

  get visible(): LibraryEntry[] {
    const query = this.query.trim().toLowerCase();
    return query === '' ? this.entries : this.entries.filter((entry) => entry.name.toLowerCase().includes(query));
  }

  async refresh(): Promise<void> {
    this.entries = await this.#library.list();
    this.loaded = true;
    void this.#refreshRuns();
  }

  /** Runs of a diagram: those pinned to any of its versions' XML. */
  runsOf(id: string): number | undefined {
    return this.runCounts.get(id);
  }

  async create(name: string, xml: string): Promise<DiagramSummary> {
    const created = await this.#library.create(name, xml);
    await this.refresh();
    return created;
  }

  async import(read: ReadDiagram): Promise<DiagramSummary> {
    const created = await this.#library.create(read.name, read.xml);
    for (const version of read.namedVersions) await this.#library.addNamedVersion(created.id, version);
    await this.refresh();
    return created;
  }

  async rename(id: string, name: string): Promise<void> {
    await this.#library.rename(id, name);
    await this.refresh();
  }

  async duplicate(id: string): Promise<void> {
    await this.#library.duplicate(id);
    await this.refresh();
  }

  async remove(id: string): Promise<void> {
    await this.#library.remove(id);
    await this.refresh();
  }

  async #refreshRuns(): Promise<void> {
    try {
      const byHash = await this.#countRuns();
      const counts: [string, number][] = [];
      for (const entry of this.entries) {
        const hashes = await this.#library.diagrams.versionHashes(entry.id);
        counts.push([entry.id, hashes.reduce((sum, hash) => sum + (byHash.get(hash) ?? 0), 0)]);
      }
      // Assigned whole to a $state.raw field: never mutated, so no SvelteMap.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      this.runCounts = new Map(counts);
    } catch {
      // run counts are a nicety: without the engine worker the list still works
    }
  }
}
