/**
 * 'file': records appended to `filename`, as JSON lines (pino) unless a formatter is given.
 *
 * - The filename must be absolute (DESIGN: path settings are computed from BASE_DIR, so a site
 *   logs to the same file whatever folder it was started from).
 * - The file is opened when LOGGING is configured, as Python's FileHandler does, so a missing or
 *   read-only folder stops the boot with a message naming the handler and the folder, instead of
 *   losing every record in silence later.
 * - Writing is asynchronous. A write that fails later (disk full, volume gone) never reaches the
 *   code that logged: it is reported once on stderr, records are dropped while the file cannot
 *   be written, and the file is opened again a few seconds later, so logging resumes by itself
 *   once the disk has room. Memory is bounded the same way when the disk is merely slow.
 * - Why not pino's SonicBoom destination: on exit it flushes synchronously, and on a full disk its
 *   flushSync retries for ever, so a process with one unwritten line could never exit.
 */
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { ImproperlyConfigured } from '../../errors.js';
import { createEntryWriter, type EntryWriter } from '../pino-writer.js';
import { q } from '../problems.js';
import type { HandlerContext, HandlerRecord, JsonLineWriter, LogHandler, TextStream } from '../types.js';

/** Bytes waiting for the disk before further records are dropped. */
const MAX_BUFFERED = 16 * 1024 * 1024;
/** After a failed write, how long records are dropped before the file is opened again. */
const RETRY_AFTER_MS = 5_000;

function openError(id: string, filename: string, err: NodeJS.ErrnoException): ImproperlyConfigured {
  const where = `LOGGING handler ${q(id)}: cannot open ${q(filename)}`;
  const folder = dirname(filename);
  switch (err.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ImproperlyConfigured(`${where}: the folder ${q(folder)} does not exist. Create it (mkdir -p ${folder}) or point filename elsewhere.`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ImproperlyConfigured(
        `${where}: this process (uid ${process.getuid?.() ?? '?'}) may not write there (${err.code}). Make the folder ${q(folder)} writable for it, or point filename elsewhere.`,
      );
    case 'EISDIR':
      return new ImproperlyConfigured(`${where}: it is a folder. filename must name a file inside it, such as ${q(`${filename.replace(/\/$/, '')}/site.log`)}.`);
    default:
      return new ImproperlyConfigured(`${where}: ${err.message}`);
  }
}

/** The file as a line sink that never throws and never grows without bound. */
class FileSink implements TextStream {
  private stream: WriteStream | undefined;
  private retryAt = 0;
  private pending = 0;
  private reported = false;
  private closed = false;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly id: string,
    private readonly filename: string,
    private readonly errors: TextStream,
    fd: number,
  ) {
    this.stream = this.attach(fd);
  }

  private attach(fd: number): WriteStream {
    const stream = createWriteStream(this.filename, { fd, flags: 'a', encoding: 'utf8' });
    stream.on('error', (err) => this.fail(stream, err));
    return stream;
  }

  private fail(stream: WriteStream, err: Error): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    this.retryAt = Date.now() + RETRY_AFTER_MS;
    stream.destroy();
    this.pending = 0;
    this.wake();
    this.report(`${err.message}. Records are dropped while it cannot be written, and writing resumes by itself when it can`);
  }

  private report(why: string): void {
    if (this.reported) return;
    this.reported = true;
    try {
      this.errors.write(`Reinhardt logging: handler '${this.id}' could not write to ${this.filename}: ${why}; this is reported once.\n`);
    } catch {
      // Nowhere left to say it; logging must not take the process down.
    }
  }

  private wake(): void {
    if (this.pending > 0) return;
    for (const done of this.idle) done();
    this.idle.clear();
  }

  write(line: string): boolean {
    if (this.closed) return false;
    if (!this.stream) {
      if (Date.now() < this.retryAt) return false;
      try {
        this.stream = this.attach(openSync(this.filename, 'a'));
      } catch {
        this.retryAt = Date.now() + RETRY_AFTER_MS;
        return false;
      }
    }
    const stream = this.stream;
    if (stream.writableLength > MAX_BUFFERED) {
      this.report(`the disk is not keeping up (${MAX_BUFFERED} bytes waiting). Records are dropped until it catches up`);
      return false;
    }
    this.pending++;
    stream.write(line, (err) => {
      if (this.stream !== stream) return;
      // A failed write's callback can run before the stream's 'error' event: fail here, so the
      // report is out before flushed() resolves and nobody waits on a write that will never land.
      if (err) return this.fail(stream, err);
      this.pending--;
      this.wake();
    });
    return true;
  }

  /** Resolve once everything written so far is on disk (or has failed). */
  flushed(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushed();
    this.closed = true;
    const stream = this.stream;
    this.stream = undefined;
    if (!stream) return;
    await new Promise<void>((resolve) => {
      stream.once('close', () => resolve());
      stream.end();
    });
  }
}

async function withTimeout(promise: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}

export class FileHandler implements LogHandler {
  readonly filename: string;
  private readonly sink: FileSink;
  private readonly write: EntryWriter;

  constructor(ctx: HandlerContext) {
    const { id, options } = ctx;
    const filename = options.filename;
    if (typeof filename !== 'string' || filename === '') {
      throw new ImproperlyConfigured(`LOGGING handler ${q(id)} (class 'file') needs filename: an absolute path, such as join(BASE_DIR, 'logs', 'site.log').`);
    }
    if (!isAbsolute(filename)) {
      throw new ImproperlyConfigured(
        `LOGGING handler ${q(id)}: filename must be an absolute path (got ${q(filename)}). Build it from BASE_DIR (projectPaths(import.meta.url)) so the site logs to the same file from any folder.`,
      );
    }
    let fd: number;
    try {
      fd = openSync(filename, 'a');
    } catch (err) {
      throw openError(id, filename, err as NodeJS.ErrnoException);
    }
    this.filename = filename;
    try {
      this.sink = new FileSink(id, filename, ctx.errorStream, fd);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.write = createEntryWriter(this.sink, ctx.formatter);
  }

  handle(record: HandlerRecord): void {
    this.write(record);
  }

  jsonLines(name: string): JsonLineWriter | undefined {
    return this.write.jsonLines?.(name);
  }

  flush(timeoutMs: number): Promise<void> {
    return withTimeout(this.sink.flushed(), timeoutMs);
  }

  close(): Promise<void> {
    return withTimeout(this.sink.close(), 5_000);
  }
}
