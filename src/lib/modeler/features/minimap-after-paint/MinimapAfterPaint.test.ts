import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import MinimapAfterPaint from './MinimapAfterPaint.js';

type Listener = () => void;

class Bus {
  listeners = new Map<string, Listener[]>();
  on(events: string | string[], _priority: number, callback: Listener) {
    for (const event of [events].flat()) this.listeners.set(event, [...(this.listeners.get(event) ?? []), callback]);
  }
  fire(event: string) {
    for (const callback of this.listeners.get(event) ?? []) callback();
  }
}

function setup(open: boolean) {
  const bus = new Bus();
  const minimap = {
    state: open,
    opened: 0,
    open() {
      this.state = true;
      this.opened++;
      bus.fire('minimap.toggle');
    },
    close() {
      this.state = false;
      bus.fire('minimap.toggle');
    },
    isOpen() {
      return this.state;
    }
  };
  new MinimapAfterPaint(bus, minimap);
  return { bus, minimap };
}

describe('MinimapAfterPaint', () => {
  let frames: (() => void)[];
  let idles: (() => void)[];
  const flush = () => {
    for (const queue of [frames, frames, idles]) queue.splice(0).forEach((callback) => callback());
  };
  beforeEach(() => {
    frames = [];
    idles = [];
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
    vi.stubGlobal('cancelAnimationFrame', (id: number) => (frames[id - 1] = () => {}));
    vi.stubGlobal('requestIdleCallback', (callback: () => void) => idles.push(callback));
    vi.stubGlobal('cancelIdleCallback', (id: number) => (idles[id - 1] = () => {}));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('closes an open minimap for the import and reopens it once after the paint, when idle', () => {
    const { bus, minimap } = setup(true);
    bus.fire('import.parse.start');
    expect(minimap.isOpen()).toBe(false);
    bus.fire('import.render.start');
    bus.fire('import.done');
    expect(minimap.isOpen()).toBe(false);
    frames.splice(0).forEach((callback) => callback());
    frames.splice(0).forEach((callback) => callback());
    expect(minimap.isOpen()).toBe(false);
    flush();
    expect(minimap.isOpen()).toBe(true);
    expect(minimap.opened).toBe(1);
  });

  it('leaves a closed minimap closed', () => {
    const { bus, minimap } = setup(false);
    bus.fire('import.parse.start');
    bus.fire('import.done');
    flush();
    flush();
    expect(minimap.isOpen()).toBe(false);
  });

  it('a second import before the reopen still reopens once, after the second paint', () => {
    const { bus, minimap } = setup(true);
    bus.fire('import.parse.start');
    bus.fire('import.done');
    bus.fire('import.parse.start');
    flush();
    expect(minimap.isOpen()).toBe(false);
    bus.fire('import.done');
    flush();
    flush();
    expect(minimap.opened).toBe(1);
  });

  it('keeps a choice made meanwhile (the app closes it on a narrow window)', () => {
    const { bus, minimap } = setup(true);
    bus.fire('import.parse.start');
    bus.fire('import.done');
    minimap.close();
    flush();
    flush();
    expect(minimap.isOpen()).toBe(false);
  });
});
