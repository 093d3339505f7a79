/**
 * What the modeler keeps beside a diagram: its thumbnail (SVG rendered at save) and its named
 * versions (each with its XML, so a restore needs nothing else). A database of its own, so the
 * diagram and run schema in db.ts stays the host's alone.
 */
import { Dexie, type EntityTable } from 'dexie';
import { z } from 'zod';
import type { IdbDeps } from './db.js';

export const META_DB_NAME = 'tessera-modeler';

const namedVersionSchema = z.strictObject({ name: z.string(), xml: z.string(), savedAt: z.number() });
const metaSchema = z.strictObject({
  id: z.string(),
  thumbnail: z.string().optional(),
  versions: z.array(namedVersionSchema)
});

export type NamedVersion = z.infer<typeof namedVersionSchema>;
export type DiagramMeta = z.infer<typeof metaSchema>;

type MetaDb = Dexie & { meta: EntityTable<DiagramMeta, 'id'> };

export class DiagramMetaStore {
  readonly #db: MetaDb;

  constructor(options: { name?: string; deps?: IdbDeps } = {}) {
    this.#db = new Dexie(options.name ?? META_DB_NAME, { ...(options.deps ?? {}) }) as MetaDb;
    this.#db.version(1).stores({ meta: 'id' });
  }

  async get(id: string): Promise<DiagramMeta> {
    const row = await this.#db.meta.get(id);
    return row === undefined ? { id, versions: [] } : metaSchema.parse(row);
  }

  async all(): Promise<Map<string, DiagramMeta>> {
    const rows = await this.#db.meta.toArray();
    return new Map(rows.map((row) => [row.id, metaSchema.parse(row)]));
  }

  async setThumbnail(id: string, thumbnail: string): Promise<void> {
    await this.#update(id, (meta) => ({ ...meta, thumbnail }));
  }

  async addVersion(id: string, version: NamedVersion): Promise<DiagramMeta> {
    return this.#update(id, (meta) => ({ ...meta, versions: [...meta.versions, version] }));
  }

  /** Copies a diagram's thumbnail and named versions to another id (duplicate). */
  async copy(from: string, to: string): Promise<void> {
    const meta = await this.get(from);
    await this.#db.meta.put({ ...meta, id: to });
  }

  async remove(id: string): Promise<void> {
    await this.#db.meta.delete(id);
  }

  close(): void {
    this.#db.close();
  }

  async #update(id: string, change: (meta: DiagramMeta) => DiagramMeta): Promise<DiagramMeta> {
    return this.#db.transaction('rw', this.#db.meta, async () => {
      const next = metaSchema.parse(change(await this.get(id)));
      await this.#db.meta.put(next);
      return next;
    });
  }
}
