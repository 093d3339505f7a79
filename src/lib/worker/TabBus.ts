/**
 * Messages between the engine workers of this origin's tabs (BroadcastChannel): which runs
 * changed, which paused, and events for a run that another tab executes.
 */
import type { EngineEvent } from '../engine/index.js';

export const TAB_BUS_VERSION = 1;

export type TabMessage =
  /** These runs' chains grew, or they were created, paused, resumed or ended. */
  | { type: 'runs.changed'; runIds: string[] }
  | { type: 'run.paused'; runId: string; message: string }
  | { type: 'run.resumed'; runId: string }
  /** Please apply `event` to `runId` (or, with no runId, to every run you execute). */
  | { type: 'event.requested'; requestId: string; runId?: string; event: EngineEvent }
  | { type: 'resume.requested'; requestId: string; runId: string }
  /** Step controls for a run in step mode (or with breakpoints) that another tab executes. */
  | { type: 'step.requested'; requestId: string; runId: string; action: 'step' | 'continue' | 'breakpoints'; nodes?: string[] }
  /** The executing tab's answer to a request. */
  | { type: 'request.answered'; requestId: string; error?: string };

interface Envelope {
  v: number;
  from: string;
  message: TabMessage;
}

export class TabBus {
  readonly #channel: BroadcastChannel;
  readonly #self = crypto.randomUUID();
  #closed = false;
  readonly #listeners = new Set<(message: TabMessage) => void>();
  readonly #waiting = new Map<string, (error: string | undefined) => void>();

  constructor(name = 'tessera-engine') {
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (event: MessageEvent<unknown>) => this.#receive(event.data);
  }

  post(message: TabMessage): void {
    if (this.#closed) return;
    const envelope: Envelope = { v: TAB_BUS_VERSION, from: this.#self, message };
    this.#channel.postMessage(envelope);
  }

  on(listener: (message: TabMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Posts a request and resolves with the first answer: `undefined` (done) or an error text;
   * `null` when no tab answered within `timeoutMs`.
   */
  request(message: Extract<TabMessage, { requestId: string }>, timeoutMs = 3000): Promise<string | undefined | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(message.requestId);
        resolve(null);
      }, timeoutMs);
      this.#waiting.set(message.requestId, (error) => {
        clearTimeout(timer);
        this.#waiting.delete(message.requestId);
        resolve(error);
      });
      this.post(message);
    });
  }

  close(): void {
    this.#closed = true;
    this.#channel.close();
  }

  #receive(data: unknown): void {
    if (!isEnvelope(data) || data.from === this.#self) return;
    const message = data.message;
    if (message.type === 'request.answered') {
      this.#waiting.get(message.requestId)?.(message.error);
      return;
    }
    for (const listener of this.#listeners) listener(message);
  }
}

function isEnvelope(data: unknown): data is Envelope {
  if (typeof data !== 'object' || data === null) return false;
  const envelope = data as Partial<Envelope>;
  return envelope.v === TAB_BUS_VERSION && typeof envelope.from === 'string' && typeof envelope.message?.type === 'string';
}
