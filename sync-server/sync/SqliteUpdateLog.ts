/**
 * The relay's room persistence on SQLite (better-sqlite3 12, WAL, synchronous=FULL): per room an
 * append-only log of V1 updates plus at most one snapshot. `append` returns after its transaction
 * committed, so a caller that forwards an update only afterwards never forwards anything unstored.
 */
import Database from 'better-sqlite3';
import { z } from 'zod';

const SCHEMA_VERSION = 1;

export interface RoomState {
  snapshot: Uint8Array | undefined;
  updates: Uint8Array[];
}

const bytes = z.instanceof(Uint8Array);

export class SqliteUpdateLog {
  readonly #db: Database.Database;
  readonly #stmt;
  /** Log length per room, counted once and kept up to date (no count query on every append). */
  readonly #lengths = new Map<string, number>();

  /** Opens (creating if needed) the log at `file`; ':memory:' for a throwaway one. */
  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    migrate(this.#db);
    const db = this.#db;
    this.#stmt = {
      append: db.prepare('INSERT INTO room_updates (room, data) VALUES (?, ?)'),
      updates: db.prepare('SELECT data FROM room_updates WHERE room = ? ORDER BY seq').pluck(),
      count: db.prepare('SELECT count(*) FROM room_updates WHERE room = ?').pluck(),
      snapshot: db.prepare('SELECT data FROM room_snapshots WHERE room = ?').pluck(),
      putSnapshot: db.prepare('INSERT OR REPLACE INTO room_snapshots (room, data) VALUES (?, ?)'),
      dropUpdates: db.prepare('DELETE FROM room_updates WHERE room = ?')
    };
  }

  /** Everything stored for `room`: its snapshot (if compacted) and the updates since, in order. */
  load(room: string): RoomState {
    return this.#db.transaction(() => {
      const snapshot: unknown = this.#stmt.snapshot.get(room);
      const updates = this.#stmt.updates.all(room).map((row) => new Uint8Array(bytes.parse(row)));
      return { snapshot: snapshot === undefined ? undefined : new Uint8Array(bytes.parse(snapshot)), updates };
    })();
  }

  /** Appends one update; returns the room's log length after it (committed when this returns). */
  append(room: string, update: Uint8Array): number {
    const before = this.#lengths.get(room) ?? z.number().parse(this.#stmt.count.get(room));
    this.#db.transaction(() => this.#stmt.append.run(room, update)).immediate();
    // Bounded: a relay that saw many rooms recounts the ones still in use once.
    if (this.#lengths.size >= 10_000 && !this.#lengths.has(room)) this.#lengths.clear();
    this.#lengths.set(room, before + 1);
    return before + 1;
  }

  /** Replaces the room's snapshot and log with one snapshot (the room's whole state), atomically. */
  compact(room: string, state: Uint8Array): void {
    this.#db.transaction(() => {
      this.#stmt.putSnapshot.run(room, state);
      this.#stmt.dropUpdates.run(room);
    }).immediate();
    this.#lengths.set(room, 0);
  }

  close(): void {
    this.#db.close();
  }
}

function migrate(db: Database.Database): void {
  const version = z.number().parse(db.pragma('user_version', { simple: true }));
  if (version >= SCHEMA_VERSION) return;
  db.transaction(() => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS room_updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS room_updates_room ON room_updates (room, seq);
      CREATE TABLE IF NOT EXISTS room_snapshots (
        room TEXT PRIMARY KEY,
        data BLOB NOT NULL
      );
    `);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
