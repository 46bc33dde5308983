/**
 * Lines gathered for one write: everything logged during one turn of the event loop (or up to
 * BATCH_BYTES of it) goes to the destination in a single write. Under load a server answers many
 * requests per turn, and one write per access-log line was most of the log's cost: the write
 * itself, and SonicBoom measuring its growing buffer on every line. A line waits for the next
 * setImmediate, never for more lines to arrive: the end of the current turn, or of the next one
 * for lines written from an immediate (the access log makes its records in one).
 */
import type { TextStream } from './types.js';

/** A batch this large is written at once rather than at the end of the turn. */
const BATCH_BYTES = 16 * 1024;

export interface BatchTarget {
  write(text: string): unknown;
}

export class LineBatch implements TextStream {
  #lines: string[] = [];
  #length = 0;
  #scheduled = false;
  readonly #flushSoon = () => {
    this.#scheduled = false;
    this.drain();
  };

  constructor(private readonly target: BatchTarget) {}

  write(line: string): boolean {
    this.#lines.push(line);
    this.#length += line.length;
    if (this.#length >= BATCH_BYTES) this.drain();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flushSoon);
    }
    return true;
  }

  /** Hand what is gathered to the target now (before a flush, at exit). */
  drain(): void {
    if (this.#lines.length === 0) return;
    const text = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join('');
    this.#lines = [];
    this.#length = 0;
    this.target.write(text);
  }
}
