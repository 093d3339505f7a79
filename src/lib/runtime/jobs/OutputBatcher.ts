import { JobLimits } from '../../protocol/jobs.js';

export type OutputStream = 'stdout' | 'stderr';

export interface OutputBatcherOptions {
  /** Sends one chunk (≤ JobLimits.chunkChars). */
  send: (stream: OutputStream, chunk: string) => void;
  /** Longest time output waits before it is sent; default 100 ms. */
  intervalMs?: number;
  /** Buffered characters that send at once; default 16 Ki. */
  flushChars?: number;
}

/**
 * Batches a job's live output for the wire: a chatty command printing a line at a time would
 * otherwise cost a frame (and a relay fan-out) per line. Keeps stdout/stderr interleaving order;
 * sends within `intervalMs`, or at once when `flushChars` are waiting.
 */
export class OutputBatcher {
  readonly #send: OutputBatcherOptions['send'];
  readonly #intervalMs: number;
  readonly #flushChars: number;
  #parts: { stream: OutputStream; text: string }[] = [];
  #chars = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(opts: OutputBatcherOptions) {
    this.#send = opts.send;
    this.#intervalMs = opts.intervalMs ?? 100;
    this.#flushChars = opts.flushChars ?? 16 * 1024;
  }

  /** Queues output; sends soon. */
  push(stream: OutputStream, text: string): void {
    if (text === '') return;
    const last = this.#parts.at(-1);
    if (last?.stream === stream) last.text += text;
    else this.#parts.push({ stream, text });
    this.#chars += text.length;
    if (this.#chars >= this.#flushChars) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs);
  }

  /** Sends everything waiting now (before the job's outcome, so output comes first). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const parts = this.#parts;
    this.#parts = [];
    this.#chars = 0;
    for (const { stream, text } of parts) {
      for (let i = 0; i < text.length; i += JobLimits.chunkChars) this.#send(stream, text.slice(i, i + JobLimits.chunkChars));
    }
  }

  /** Drops what is waiting (a cancelled job's output goes nowhere). */
  discard(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#parts = [];
    this.#chars = 0;
  }
}
