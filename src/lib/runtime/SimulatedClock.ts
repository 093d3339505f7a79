import type { Clock, TimerHandle } from './ports.js';

interface Pending {
  id: number;
  dueAt: number;
  fire: () => void;
}

/**
 * A clock that moves only when told: `advance` fires due timers in due order (ties in the order
 * they were set), with `now()` equal to each timer's due time while it fires. A timer set for a
 * time already past fires on the next microtask, like setTimeout(0).
 */
export class SimulatedClock implements Clock {
  #now: number;
  #next = 1;
  #pending: Pending[] = [];

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(dueAt: number, fire: () => void): TimerHandle {
    const timer = { id: this.#next++, dueAt, fire };
    this.#pending.push(timer);
    if (dueAt <= this.#now) queueMicrotask(() => this.#fire(timer));
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#pending = this.#pending.filter((t) => t.id !== handle.id);
  }

  /** Due times of the timers not yet fired, earliest first. */
  pending(): number[] {
    return this.#pending.map((t) => t.dueAt).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  /** Moves time to `time` (never backwards), firing every timer due by then. */
  advanceTo(time: number): void {
    for (;;) {
      const next = this.#earliest();
      if (!next || next.dueAt > time) break;
      this.#now = Math.max(this.#now, next.dueAt);
      this.#fire(next);
    }
    this.#now = Math.max(this.#now, time);
  }

  /** Jumps to the earliest pending timer and fires it (and any due at the same time); false if none. */
  advanceToNext(): boolean {
    const next = this.#earliest();
    if (!next) return false;
    this.advanceTo(next.dueAt);
    return true;
  }

  #earliest(): Pending | undefined {
    let best: Pending | undefined;
    for (const t of this.#pending) if (!best || t.dueAt < best.dueAt) best = t;
    return best;
  }

  #fire(timer: Pending): void {
    if (!this.#pending.includes(timer)) return;
    this.#pending = this.#pending.filter((t) => t !== timer);
    timer.fire();
  }
}
