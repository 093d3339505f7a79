import { redactSecrets } from './redactSecrets.js';

/**
 * Keeps the first `capBytes` of a stream and drops the rest while still consuming it, so the
 * child never blocks on a full pipe and memory stays bounded whatever it writes.
 */
export class OutputCollector {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private seen = 0;

  /** `slackBytes` more are kept so a secret cut by the cap is still found whole by redaction. */
  constructor(
    private readonly capBytes: number,
    private readonly slackBytes = 0
  ) {}

  get truncated(): boolean {
    return this.seen > this.capBytes;
  }

  /** Takes one chunk from the stream. */
  push(chunk: Buffer): void {
    this.seen += chunk.length;
    const room = this.capBytes + this.slackBytes - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  /** The kept output as UTF-8 with secrets redacted, cut at the cap with a marker line. */
  text(secrets: readonly string[]): string {
    const redacted = redactSecrets(Buffer.concat(this.chunks).toString('utf8'), secrets);
    if (!this.truncated) return redacted;
    const bytes = Buffer.from(redacted, 'utf8');
    const head = bytes.subarray(0, utf8Boundary(bytes, Math.min(this.capBytes, bytes.length))).toString('utf8');
    const separator = head === '' || head.endsWith('\n') ? '' : '\n';
    return `${head}${separator}…[output truncated at ${this.capBytes} bytes]\n`;
  }
}

/** The largest index ≤ `at` that does not split a UTF-8 sequence. */
function utf8Boundary(bytes: Buffer, at: number): number {
  let index = at;
  // Continuation bytes look like 10xxxxxx; back off to the byte that starts the character.
  while (index > 0 && index < bytes.length && ((bytes[index] ?? 0) & 0xc0) === 0x80) index--;
  return index;
}
