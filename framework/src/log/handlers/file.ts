/**
 * 'file': records appended to `filename`, JSON lines unless a formatter is given.
 *
 * - The filename must be absolute (DESIGN: path settings are computed from BASE_DIR, so a site
 *   logs to the same file whatever folder it was started from).
 * - The file is opened when LOGGING is configured, as Python's FileHandler does, so a missing or
 *   read-only folder stops the boot with a message naming the handler and the folder, instead of
 *   losing every record in silence later.
 * - Writing is asynchronous (pino's SonicBoom). A write that fails later (disk full, volume gone)
 *   never reaches the request that logged: it is reported once on stderr, records that do not fit
 *   in the buffer are dropped, and writing resumes by itself when the disk accepts data again.
 */
import { closeSync, openSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import pino from 'pino';
import { ImproperlyConfigured } from '../../errors.js';
import { createEntryWriter, type EntryWriter } from '../pino-writer.js';
import { q } from '../problems.js';
import type { HandlerContext, HandlerRecord, LogHandler, TextStream } from '../types.js';

/** What is kept in memory while the file cannot be written, before records are dropped. */
const MAX_BUFFERED = 16 * 1024 * 1024;

type SonicBoom = ReturnType<typeof pino.destination>;

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

export class FileHandler implements LogHandler {
  readonly filename: string;
  private readonly stream: SonicBoom;
  private readonly write: EntryWriter;
  private reported = false;
  private closed = false;

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
      this.stream = pino.destination({ dest: fd, sync: false, maxLength: MAX_BUFFERED });
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.stream.on('error', (err: Error) => this.report(ctx.errorStream, id, err));
    this.write = createEntryWriter(this.stream as unknown as TextStream, ctx.formatter);
  }

  private report(out: TextStream, id: string, err: Error): void {
    if (this.reported) return;
    this.reported = true;
    try {
      out.write(
        `Reinhardt logging: handler '${id}' could not write to ${this.filename}: ${err.message}. ` +
          'Records are kept in memory up to a limit and written when the file accepts data again; this is reported once.\n',
      );
    } catch {
      // Nowhere left to say it; logging must not take the process down.
    }
  }

  handle(record: HandlerRecord): void {
    if (!this.closed) this.write(record);
  }

  flush(timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      try {
        this.stream.flush(() => {
          clearTimeout(timer);
          resolve();
        });
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      this.stream.once('close', done);
      this.stream.once('error', done);
      try {
        this.stream.end();
      } catch {
        resolve();
      }
    });
  }
}
