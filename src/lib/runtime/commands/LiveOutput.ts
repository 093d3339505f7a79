import { StringDecoder } from 'node:string_decoder';
import { redactSecrets } from './redactSecrets.js';

/**
 * One stream's live output, as people watching the run see it: UTF-8 decoded across chunk
 * boundaries, secrets redacted even when a secret is split across two chunks (the text that
 * could be the start of a secret is held back until the next chunk or the end), and cut at the
 * same cap as the recorded output, with a marker.
 */
export class LiveOutput {
  readonly #decoder = new StringDecoder('utf8');
  readonly #secrets: readonly string[];
  readonly #emit: (text: string) => void;
  readonly #capBytes: number;
  #seen = 0;
  #held = '';
  #capped = false;

  constructor(capBytes: number, secrets: readonly string[], emit: (text: string) => void) {
    this.#capBytes = capBytes;
    this.#secrets = secrets.filter((s) => s.length > 0);
    this.#emit = emit;
  }

  /** Takes one chunk from the child's pipe. */
  push(chunk: Buffer): void {
    if (this.#capped) return;
    const room = this.#capBytes - this.#seen;
    this.#seen += chunk.length;
    const within = chunk.length <= room ? chunk : chunk.subarray(0, room);
    const text = this.#held + this.#decoder.write(within);
    if (chunk.length > room) {
      this.#capped = true;
      this.#held = '';
      this.#send(redactSecrets(text + this.#decoder.end(), this.#secrets));
      this.#emit(`${text === '' || text.endsWith('\n') ? '' : '\n'}…[output truncated at ${this.#capBytes} bytes]\n`);
      return;
    }
    const redacted = redactSecrets(text, this.#secrets);
    const keep = this.#pendingPrefix(redacted);
    this.#held = redacted.slice(redacted.length - keep);
    this.#send(redacted.slice(0, redacted.length - keep));
  }

  /** The stream ended: sends what was held back. */
  end(): void {
    if (this.#capped) return;
    this.#capped = true;
    this.#send(redactSecrets(this.#held + this.#decoder.end(), this.#secrets));
    this.#held = '';
  }

  #send(text: string): void {
    if (text !== '') this.#emit(text);
  }

  /** Length of the longest tail of `text` that is the beginning of some secret (so may become one). */
  #pendingPrefix(text: string): number {
    let longest = 0;
    for (const secret of this.#secrets) {
      for (let n = Math.min(secret.length - 1, text.length); n > longest; n--) {
        if (text.endsWith(secret.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}
