/**
 * Diagrams in IndexedDB: a name, the latest XML and every saved version (XML kept once per
 * hash, beside the XML runs are pinned to). Intent-level functions; the Dexie instance stays inside.
 */
import { z } from 'zod';
import { sha256Hex } from '../../engine/chain/hash.js';
import { openTesseraDb, type DiagramRow, type IdbDeps, type TesseraDb } from './db.js';

const versionSchema = z.strictObject({ version: z.number().int().positive(), xmlSha256: z.string(), savedAt: z.number() });
const diagramSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  xmlSha256: z.string(),
  updatedAt: z.number(),
  versions: z.array(versionSchema).min(1)
});

export interface DiagramSummary {
  id: string;
  name: string;
  updatedAt: number;
  version: number;
  xmlSha256: string;
}

export interface Diagram extends DiagramSummary {
  xml: string;
}

export class DiagramStore {
  readonly #db: TesseraDb;

  constructor(options: { name?: string; deps?: IdbDeps } = {}) {
    this.#db = openTesseraDb(options.name, options.deps);
  }

  /**
   * Saves `xml` as the diagram's newest version (a new diagram when `id` is new). Saving the
   * same XML again adds no version.
   */
  async save(id: string, name: string, xml: string, now = Date.now()): Promise<DiagramSummary> {
    const xmlSha256 = sha256Hex(xml);
    return this.#db.transaction('rw', this.#db.diagrams, this.#db.xml, async () => {
      if (!(await this.#db.xml.get(xmlSha256))) await this.#db.xml.add({ sha256: xmlSha256, xml });
      const existing = await this.#read(id);
      const versions = existing?.versions ?? [];
      const latest = versions.at(-1);
      const next: DiagramRow = {
        id,
        name,
        xmlSha256,
        updatedAt: now,
        versions:
          latest?.xmlSha256 === xmlSha256 ? versions : [...versions, { version: (latest?.version ?? 0) + 1, xmlSha256, savedAt: now }]
      };
      await this.#db.diagrams.put(next);
      return summary(next);
    });
  }

  async get(id: string): Promise<Diagram | undefined> {
    const row = await this.#read(id);
    if (!row) return undefined;
    const xml = await this.#db.xml.get(row.xmlSha256);
    if (!xml) throw new Error(`diagram ${id}: its XML (sha256 ${row.xmlSha256}) is missing`);
    return { ...summary(row), xml: xml.xml };
  }

  /** Every diagram, most recently changed first. */
  async list(): Promise<DiagramSummary[]> {
    const rows = await this.#db.diagrams.orderBy('updatedAt').reverse().toArray();
    return rows.map((row) => summary(diagramSchema.parse(row)));
  }

  /** The XML hashes of every version: the runs of a diagram are the runs pinned to one of them. */
  async versionHashes(id: string): Promise<string[]> {
    return (await this.#read(id))?.versions.map((v) => v.xmlSha256) ?? [];
  }

  async remove(id: string): Promise<void> {
    await this.#db.diagrams.delete(id);
  }

  close(): void {
    this.#db.close();
  }

  async #read(id: string): Promise<DiagramRow | undefined> {
    const row = await this.#db.diagrams.get(id);
    return row === undefined ? undefined : diagramSchema.parse(row);
  }
}

function summary(row: DiagramRow): DiagramSummary {
  return { id: row.id, name: row.name, updatedAt: row.updatedAt, version: row.versions.at(-1)!.version, xmlSha256: row.xmlSha256 };
}
