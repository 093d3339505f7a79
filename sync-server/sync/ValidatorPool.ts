import { UpdateValidator, type UpdateValidatorOptions, type Validation } from './UpdateValidator.js';

/**
 * Several validator workers; each update goes to the least busy one, so one update stuck until
 * its time limit holds up only the updates queued behind it on that worker, not every room.
 * A connection awaits each validation before its next frame, so its order is kept.
 */
export class ValidatorPool {
  readonly #lanes: UpdateValidator[];

  constructor(lanes = 2, options: UpdateValidatorOptions = {}) {
    this.#lanes = Array.from({ length: Math.max(1, lanes) }, () => new UpdateValidator(options));
  }

  validate(update: Uint8Array): Promise<Validation> {
    let best = this.#lanes[0]!;
    for (const lane of this.#lanes) if (lane.pending < best.pending) best = lane;
    return best.validate(update);
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.close()));
  }
}
