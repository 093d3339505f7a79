/**
 * The diagram library as the modeler uses it: the host's DiagramStore (name, XML, every saved
 * version) and the modeler's DiagramMetaStore (thumbnail, named versions) behind intent-level
 * functions.
 */
import { DiagramStore, type Diagram, type DiagramSummary } from './DiagramStore.js';
import { DiagramMetaStore, type DiagramMeta, type NamedVersion } from './DiagramMetaStore.js';

export interface LibraryEntry extends DiagramSummary {
  thumbnail?: string;
}

export class DiagramLibrary {
  readonly diagrams: DiagramStore;
  readonly meta: DiagramMetaStore;

  constructor(diagrams = new DiagramStore(), meta = new DiagramMetaStore()) {
    this.diagrams = diagrams;
    this.meta = meta;
  }

  async list(): Promise<LibraryEntry[]> {
    const [summaries, metas] = await Promise.all([this.diagrams.list(), this.meta.all()]);
    return summaries.map((summary) => {
      const thumbnail = metas.get(summary.id)?.thumbnail;
      return thumbnail === undefined ? summary : { ...summary, thumbnail };
    });
  }

  get(id: string): Promise<Diagram | undefined> {
    return this.diagrams.get(id);
  }

  async create(name: string, xml: string, id: string = newDiagramId()): Promise<DiagramSummary> {
    return this.diagrams.save(id, name, xml);
  }

  /** Saves the XML as the newest version; the thumbnail is kept beside it when given. */
  async save(id: string, name: string, xml: string, thumbnail?: string): Promise<DiagramSummary> {
    const saved = await this.diagrams.save(id, name, xml);
    if (thumbnail !== undefined) await this.meta.setThumbnail(id, thumbnail);
    return saved;
  }

  async rename(id: string, name: string): Promise<DiagramSummary> {
    const diagram = await this.#require(id);
    return this.diagrams.save(id, name.trim() || diagram.name, diagram.xml);
  }

  async duplicate(id: string): Promise<DiagramSummary> {
    const diagram = await this.#require(id);
    const copyId = newDiagramId();
    const copy = await this.diagrams.save(copyId, `${diagram.name} (copy)`, diagram.xml);
    await this.meta.copy(id, copyId);
    return copy;
  }

  async remove(id: string): Promise<void> {
    await this.diagrams.remove(id);
    await this.meta.remove(id);
  }

  namedVersions(id: string): Promise<DiagramMeta> {
    return this.meta.get(id);
  }

  async addNamedVersion(id: string, version: NamedVersion): Promise<DiagramMeta> {
    return this.meta.addVersion(id, version);
  }

  async #require(id: string): Promise<Diagram> {
    const diagram = await this.diagrams.get(id);
    if (!diagram) throw new Error(`no diagram ${id}`);
    return diagram;
  }
}

export function newDiagramId(): string {
  return `d_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
}
