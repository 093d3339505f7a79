/**
 * Keeps the minimap out of the way of an import's first paint. An open minimap clones every
 * shape's SVG as it is added and measures the page (a forced layout) on every viewbox change;
 * on a 1,000-element diagram that was a third of import + first paint (CPU profile in the README,
 * Modeler → Benchmark). So an import closes an open minimap and reopens it — one rebuild — once
 * the imported diagram has been painted and the browser is idle.
 */
interface Minimap {
  open(): void;
  close(): void;
  isOpen(): boolean;
}

interface EventBus {
  on(events: string | string[], priority: number, callback: () => void): void;
}

/** The longest the reopened minimap waits for an idle moment after the paint. */
const IDLE_TIMEOUT_MS = 1000;
const HIGH_PRIORITY = 5000;

export default class MinimapAfterPaint {
  static $inject = ['eventBus', 'minimap'];

  /** The minimap was open when the import began and should open again after it. */
  #reopen = false;
  /** True while this class itself opens or closes the minimap (not the user or the app). */
  #toggling = false;
  #scheduled: (() => void) | undefined;

  constructor(
    eventBus: EventBus,
    private readonly minimap: Minimap
  ) {
    // Before bpmn-js clears the old diagram and adds the new one (both fire per-element events).
    eventBus.on(['import.parse.start', 'import.render.start'], HIGH_PRIORITY, () => this.#pause());
    eventBus.on('import.done', HIGH_PRIORITY, () => this.#reopenAfterPaint());
    // Someone else opened or closed it meanwhile (window resize, the toggle): their choice stands.
    eventBus.on('minimap.toggle', HIGH_PRIORITY, () => {
      if (!this.#toggling) this.#cancel();
    });
    eventBus.on('diagram.destroy', HIGH_PRIORITY, () => this.#cancel());
  }

  #pause(): void {
    this.#scheduled?.();
    this.#scheduled = undefined;
    if (!this.minimap.isOpen()) return;
    this.#reopen = true;
    this.#toggle(() => this.minimap.close());
  }

  #reopenAfterPaint(): void {
    if (!this.#reopen) return;
    // The next frame paints the diagram; the minimap is built in idle time once that frame is on
    // screen (the callback of the frame after it), not in the gap before it is presented.
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        idle = requestIdleCallback(() => this.#open(), { timeout: IDLE_TIMEOUT_MS });
      });
    });
    let idle: number | undefined;
    this.#scheduled = () => {
      cancelAnimationFrame(frame);
      if (idle !== undefined) cancelIdleCallback(idle);
    };
  }

  #open(): void {
    this.#scheduled = undefined;
    if (!this.#reopen) return;
    this.#reopen = false;
    this.#toggle(() => this.minimap.open());
  }

  #cancel(): void {
    this.#scheduled?.();
    this.#scheduled = undefined;
    this.#reopen = false;
  }

  #toggle(change: () => void): void {
    this.#toggling = true;
    try {
      change();
    } finally {
      this.#toggling = false;
    }
  }
}
