/**
 * A one-line progress bar for long collections, on stderr and only when stderr is a terminal, so
 * logs, pipes and CI output never see carriage returns.
 */
export const PROGRESS_THRESHOLD = 200;
const WIDTH = 30;
const INTERVAL_MS = 100;

type Stream = NodeJS.WritableStream & { isTTY?: boolean };

export class ProgressBar {
  private done = 0;
  private last = 0;
  private shown = false;

  constructor(
    private readonly stream: Stream,
    private readonly total: number,
    private readonly label = 'Collecting static files',
  ) {}

  /** A bar when the stream is a terminal and there is enough work to watch; otherwise undefined. */
  static maybe(stream: Stream, total: number): ProgressBar | undefined {
    return stream.isTTY === true && total > PROGRESS_THRESHOLD ? new ProgressBar(stream, total) : undefined;
  }

  tick(): void {
    this.done++;
    const now = Date.now();
    if (now - this.last >= INTERVAL_MS || this.done === this.total) {
      this.last = now;
      this.draw();
    }
  }

  finish(): void {
    if (this.shown) {
      this.draw();
      this.stream.write('\n');
    }
  }

  private draw(): void {
    const filled = Math.round((this.done / this.total) * WIDTH);
    this.stream.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${this.done}/${this.total}`);
    this.shown = true;
  }
}
