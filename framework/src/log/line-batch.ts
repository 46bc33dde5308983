/**
 * Lines gathered for one write: everything logged during one turn of the event loop (or up to
 * BATCH_BYTES of it) goes to the destination in a single write. Under load a server answers many
 * requests per turn, and one write per access-log line was most of the log's cost: the write
 * itself, and SonicBoom measuring its growing buffer on every line. A line waits for the next
 * setImmediate, never for more lines to arrive: the end of the current turn, or of the next one
 * for lines written from an immediate (the access log makes its records in one).
 *
 * Each line is encoded into the batch's buffer as it arrives, and the destination (a SonicBoom
 * in buffer mode) gets the batch's bytes. Gathered as text, a batch was joined into one string,
 * measured twice by SonicBoom, encoded for the write, then encoded once more (SonicBoom turns a
 * written string into a Buffer to count its bytes): about 700 instructions an access-log line
 * more on /hello/ (scripts/bench/instructions.sh, 78.7k against 78.2k a request).
 */
import type { TextStream } from './types.js';

/** A batch this large is written at once rather than at the end of the turn. */
const BATCH_BYTES = 16 * 1024;
/** The buffer's usual size: a line up to BATCH_BYTES fits after a batch just under it. */
const CAPACITY = 2 * BATCH_BYTES;

export interface BatchTarget {
  write(bytes: Buffer): unknown;
}

export class LineBatch implements TextStream {
  #bytes = Buffer.allocUnsafe(CAPACITY);
  #length = 0;
  #scheduled = false;
  readonly #flushSoon = () => {
    this.#scheduled = false;
    this.drain();
  };

  constructor(private readonly target: BatchTarget) {}

  write(line: string): boolean {
    // A UTF-16 code unit takes at most three bytes in UTF-8.
    const room = this.#length + line.length * 3;
    if (room > this.#bytes.length) {
      const grown = Buffer.allocUnsafe(room);
      this.#bytes.copy(grown, 0, 0, this.#length);
      this.#bytes = grown;
    }
    this.#length += this.#bytes.write(line, this.#length, 'utf8');
    if (this.#length >= BATCH_BYTES) this.drain();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flushSoon);
    }
    return true;
  }

  /** Hand what is gathered to the target now (before a flush, at exit). */
  drain(): void {
    if (this.#length === 0) return;
    // A copy: the destination may keep what it could not write yet, and the buffer is reused.
    const bytes = Buffer.allocUnsafe(this.#length);
    this.#bytes.copy(bytes, 0, 0, this.#length);
    this.#length = 0;
    // A very long line grew the buffer: back to the usual size.
    if (this.#bytes.length > CAPACITY) this.#bytes = Buffer.allocUnsafe(CAPACITY);
    this.target.write(bytes);
  }
}
