/**
 * Step holds in the browser: one row per step-mode run in a small IndexedDB database of its own
 * (`tessera-step`), so a reload knows the run is in step mode and which computed records it has
 * not committed yet. The run's chain stays in the main database; the executor writes a hold
 * before the prefix of a held step is committed and trims a stale one on recovery.
 */
import { Dexie, type EntityTable } from 'dexie';
import { z } from 'zod';
import type { StepHold, StepHolds } from '../runtime/Executor.js';
import type { IdbDeps } from '../store/dexie/db.js';
import { tokenRecordSchema } from '../store/recordSchema.js';
import type { TokenRecord } from '../engine/index.js';

interface HoldRow extends StepHold {
  runId: string;
}

const holdSchema = z.object({ stepMode: z.boolean(), breakpoints: z.array(z.string()).optional(), records: z.array(tokenRecordSchema) });

/** Step holds kept in IndexedDB (fake-indexeddb in unit tests through `deps`). */
export class DexieStepHolds implements StepHolds {
  readonly #db: Dexie & { holds: EntityTable<HoldRow, 'runId'> };

  constructor(options: { name?: string; deps?: IdbDeps } = {}) {
    this.#db = new Dexie(options.name ?? 'tessera-step', { chromeTransactionDurability: 'strict', ...(options.deps ?? {}) }) as Dexie & {
      holds: EntityTable<HoldRow, 'runId'>;
    };
    this.#db.version(1).stores({ holds: 'runId' });
  }

  async get(runId: string): Promise<StepHold | undefined> {
    const row = await this.#db.holds.get(runId);
    if (!row) return undefined;
    const parsed = holdSchema.safeParse(row);
    // A row that is not a hold is dropped: the run then goes on without step mode.
    if (!parsed.success) return undefined;
    const { stepMode, breakpoints = [], records } = parsed.data;
    return { stepMode, breakpoints, records: records as TokenRecord[] };
  }

  async put(runId: string, hold: StepHold): Promise<void> {
    await this.#db.holds.put({ runId, stepMode: hold.stepMode, breakpoints: hold.breakpoints ?? [], records: hold.records });
  }

  async delete(runId: string): Promise<void> {
    await this.#db.holds.delete(runId);
  }
}
