import type { Clock, TimerHandle } from './ports.js';

// setTimeout overflows above 2^31-1 ms (~24.8 days) and fires at once; longer waits are chained.
const MAX_DELAY = 2 ** 31 - 1;

/** The wall clock, with timers on setTimeout. */
export class SystemClock implements Clock {
  #next = 1;
  readonly #pending = new Map<number, ReturnType<typeof setTimeout>>();

  now(): number {
    return Date.now();
  }

  setTimer(dueAt: number, fire: () => void): TimerHandle {
    const id = this.#next++;
    const arm = (): void => {
      const delay = Math.max(0, dueAt - Date.now());
      this.#pending.set(
        id,
        setTimeout(() => {
          if (dueAt > Date.now()) return arm();
          this.#pending.delete(id);
          fire();
        }, Math.min(delay, MAX_DELAY))
      );
    };
    arm();
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    clearTimeout(this.#pending.get(handle.id));
    this.#pending.delete(handle.id);
  }
}
