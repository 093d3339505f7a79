import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Decodes untrusted Yjs V1 updates in a worker thread with a time limit, so an update that makes
 * yjs loop (yjs #687 did, on the V2 path) costs one worker restart, never the relay's event loop.
 * An update passes when yjs can decode it and apply it to an empty scratch doc.
 */
export type Validation = { ok: true } | { ok: false; reason: string };

export interface UpdateValidatorOptions {
  /** Longest a single update may take to decode (ms). */
  timeoutMs?: number;
  /**
   * Extra time allowed per KiB of update, up to `maxTimeoutMs`: a hang never ends, whatever the
   * limit, but a big legitimate update (a 1,000-element diagram is ~220 KiB) decoded on a busy
   * machine took 0.3–1.5 s here, and refusing it would make its client resend it forever.
   */
  timeoutMsPerKiB?: number;
  maxTimeoutMs?: number;
  /** The worker's script (CommonJS, `workerData.yjsPath`); tests swap in one that hangs. */
  workerSource?: string;
}

// Plain CommonJS so it runs from the esbuild bundle, tsx and vitest alike.
export const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjsPath);
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ id, update }) => {
  try {
    Y.decodeUpdate(update);
    const doc = new Y.Doc({ gc: true });
    Y.applyUpdate(doc, update);
    doc.destroy();
    parentPort.postMessage({ id, ok: true });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, reason: String(error && error.message || error).slice(0, 120) });
  }
});
`;

interface Job {
  id: number;
  update: Uint8Array;
  resolve: (result: Validation) => void;
}

export class UpdateValidator {
  readonly #timeoutMs: number;
  readonly #perKiB: number;
  readonly #maxTimeoutMs: number;
  readonly #source: string;
  readonly #yjsPath = createRequire(import.meta.url).resolve('yjs');
  readonly #queue: Job[] = [];
  #worker: Worker | undefined;
  /** The time limit starts when the worker has loaded yjs: a slow start is not a slow decode. */
  #ready = false;
  #current: { job: Job; timer: NodeJS.Timeout } | undefined;
  #nextId = 1;
  #closed = false;

  constructor(options: UpdateValidatorOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#perKiB = options.timeoutMsPerKiB ?? 8;
    this.#maxTimeoutMs = Math.max(this.#timeoutMs, options.maxTimeoutMs ?? 8000);
    this.#source = options.workerSource ?? workerSource;
    // Start the worker now: the first update should not wait for a thread to boot.
    this.#ensureWorker();
  }

  /** Updates waiting or being decoded. */
  get pending(): number {
    return this.#queue.length + (this.#current ? 1 : 0);
  }

  validate(update: Uint8Array): Promise<Validation> {
    if (this.#closed) return Promise.resolve({ ok: false, reason: 'relay is closing' });
    return new Promise((resolve) => {
      this.#queue.push({ id: this.#nextId++, update, resolve });
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.resolve({ ok: false, reason: 'relay is closing' });
    if (this.#current) this.#finish({ ok: false, reason: 'relay is closing' });
    await this.#worker?.terminate();
    this.#worker = undefined;
  }

  #pump(): void {
    if (this.#current || this.#closed || this.#queue.length === 0) return;
    const worker = this.#ensureWorker();
    if (!this.#ready) return;
    const job = this.#queue.shift()!;
    const limit = Math.min(this.#maxTimeoutMs, this.#timeoutMs + Math.floor(job.update.byteLength / 1024) * this.#perKiB);
    const timer = setTimeout(() => {
      // The worker is stuck inside yjs: kill it; the next job gets a fresh one.
      this.#worker = undefined;
      this.#ready = false;
      void worker.terminate();
      this.#finish({ ok: false, reason: `update took over ${limit} ms to decode` });
    }, limit);
    this.#current = { job, timer };
    worker.postMessage({ id: job.id, update: job.update.slice() });
  }

  #finish(result: Validation): void {
    if (!this.#current) return;
    clearTimeout(this.#current.timer);
    const { job } = this.#current;
    this.#current = undefined;
    job.resolve(result);
    this.#pump();
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#source, { eval: true, workerData: { yjsPath: this.#yjsPath }, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    worker.unref();
    worker.on('message', (message: { ready?: boolean; id: number; ok: boolean; reason?: string }) => {
      if (message.ready) {
        if (this.#worker !== worker) return;
        this.#ready = true;
        this.#pump();
        return;
      }
      if (this.#current?.job.id !== message.id) return;
      this.#finish(message.ok ? { ok: true } : { ok: false, reason: message.reason ?? 'invalid update' });
    });
    const lost = (why: string) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#ready = false;
      if (this.#current) this.#finish({ ok: false, reason: why });
      else this.#queue.shift()?.resolve({ ok: false, reason: why });
      this.#pump();
    };
    worker.on('error', (error) => lost(`update could not be decoded: ${error.message.slice(0, 120)}`));
    worker.on('exit', () => lost('update decoder exited'));
    this.#worker = worker;
    this.#ready = false;
    return worker;
  }
}
