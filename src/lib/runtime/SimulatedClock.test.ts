import { describe, expect, it } from 'vitest';
import { SimulatedClock } from './SimulatedClock.js';

describe('runtime/SimulatedClock', () => {
  it('fires due timers in due order with now() at their due time', () => {
    // given three timers set out of order
    const clock = new SimulatedClock(1000);
    const fired: [string, number][] = [];
    clock.setTimer(1300, () => fired.push(['c', clock.now()]));
    clock.setTimer(1100, () => fired.push(['a', clock.now()]));
    clock.setTimer(1200, () => fired.push(['b', clock.now()]));
    // when time advances past two of them
    clock.advance(250);
    // then those two fired in order and the third waits
    expect(fired).toEqual([['a', 1100], ['b', 1200]]);
    expect(clock.now()).toBe(1250);
    expect(clock.pending()).toEqual([1300]);
  });

  it('never fires a cleared timer', () => {
    const clock = new SimulatedClock(0);
    let fired = false;
    const handle = clock.setTimer(10, () => (fired = true));
    clock.clearTimer(handle);
    clock.advance(100);
    expect(fired).toBe(false);
  });

  it('fires a timer already due on the next microtask', async () => {
    const clock = new SimulatedClock(500);
    let fired = false;
    clock.setTimer(100, () => (fired = true));
    expect(fired).toBe(false);
    await Promise.resolve();
    expect(fired).toBe(true);
  });

  it('fires timers set while firing when they fall due in the same advance', () => {
    const clock = new SimulatedClock(0);
    const fired: number[] = [];
    clock.setTimer(10, () => {
      fired.push(clock.now());
      clock.setTimer(20, () => fired.push(clock.now()));
    });
    clock.advance(30);
    expect(fired).toEqual([10, 20]);
  });
});
