/** Collects teardown steps and runs them newest first, so a failed test still frees its ports and profiles. */
export class Cleanup {
  #steps: (() => unknown)[] = [];

  /** Registers a teardown step. */
  add(step: () => unknown): void {
    this.#steps.push(step);
  }

  /** Runs and forgets every step; one failing step does not skip the others. */
  async run(): Promise<void> {
    const steps = this.#steps.reverse();
    this.#steps = [];
    const errors: unknown[] = [];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
  }
}
