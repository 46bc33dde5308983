/**
 * 'console': records on stderr (like Python's StreamHandler), or on `stream` ('stdout',
 * 'stderr' or any object with write(), which is how tests capture it).
 * Format, unless a `formatter` is given: pretty lines in DEBUG, JSON lines otherwise (the
 * `format` option, 'pretty' or 'json', overrides). Colours only on a terminal, never with
 * NO_COLOR; `colorize` overrides.
 */
import type pino from 'pino';
import { ImproperlyConfigured } from '../../errors.js';
import { prettyFormatter } from '../formatters/pretty.js';
import { type BatchTarget, LineBatch } from '../line-batch.js';
import { createEntryWriter, type EntryWriter, pinoLib } from '../pino-writer.js';
import { q } from '../problems.js';
import type { Formatter, HandlerContext, HandlerRecord, JsonLineWriter, LogHandler, TextStream } from '../types.js';

export function pickStream(value: unknown, fallback: TextStream | undefined, id: string): TextStream {
  if (value === undefined) return fallback ?? process.stderr;
  if (value === 'stderr') return process.stderr;
  if (value === 'stdout') return process.stdout;
  if (value !== null && typeof value === 'object' && typeof (value as TextStream).write === 'function') return value as TextStream;
  throw new ImproperlyConfigured(`LOGGING handler ${q(id)}: stream must be 'stdout', 'stderr' or an object with write() (got ${JSON.stringify(value) ?? typeof value}).`);
}

/**
 * Lines to the process's own stdout/stderr are gathered per event-loop turn (line-batch.ts),
 * as bytes, and written by one SonicBoom per fd in a single synchronous write: under load a turn
 * answers dozens of requests, so that is one system call for dozens of access-log lines, with no
 * thread pool round trip per write (the asynchronous mode cost twice as much here, measured in the
 * profile of a hello-world request). Synchronous is pino's own default for stdout. The rest is
 * written by flushLogging()/closeLogging(), which `serve` calls on shutdown, and at exit.
 */
interface Buffered {
  readonly batch: LineBatch;
  readonly dest: ReturnType<typeof pino.destination>;
}
const buffered = new Map<number, Buffered>();

function bufferedStream(fd: 1 | 2): TextStream {
  let entry = buffered.get(fd);
  if (!entry) {
    // Buffer mode: the batch hands over bytes (line-batch.ts), written as they are.
    const dest = pinoLib().destination({ dest: fd, sync: true, contentMode: 'buffer' });
    // SonicBoom's typings know only its text mode's write(string).
    const target = dest as unknown as BatchTarget;
    const created: Buffered = { batch: new LineBatch(target), dest };
    process.once('exit', () => {
      try {
        created.batch.drain();
        created.dest.flushSync();
      } catch {
        // A closed or full stdout at exit: nothing more can be done for these lines.
      }
    });
    buffered.set(fd, created);
    entry = created;
  }
  return entry.batch;
}

function flushBuffered(timeoutMs: number): Promise<void> {
  const pending = [...buffered.values()].map(
    ({ batch, dest }) =>
      new Promise<void>((resolve) => {
        batch.drain();
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        try {
          dest.flush(() => {
            clearTimeout(timer);
            resolve();
          });
        } catch {
          clearTimeout(timer);
          resolve();
        }
      }),
  );
  return Promise.all(pending).then(() => undefined);
}

export class ConsoleHandler implements LogHandler {
  private readonly write: EntryWriter;
  private readonly usesBuffer: boolean;

  constructor(ctx: HandlerContext) {
    const { id, options, settings } = ctx;
    const given = pickStream(options.stream, ctx.defaultStream, id);
    // Whatever the format (JSON lines, or runserver's text lines in DEBUG), the process's own
    // stdout and stderr get the batched writer; a stream given in LOGGING is written as it is.
    this.usesBuffer = given === process.stdout || given === process.stderr;
    const stream = this.usesBuffer ? bufferedStream(given === process.stdout ? 1 : 2) : given;
    let formatter: Formatter | undefined = ctx.formatter;
    if (!formatter) {
      const format = options.format ?? (settings.DEBUG ? 'pretty' : 'json');
      if (format !== 'pretty' && format !== 'json') {
        throw new ImproperlyConfigured(`LOGGING handler ${q(id)}: format must be 'pretty' or 'json' (got ${JSON.stringify(format)}); use a formatter for other layouts.`);
      }
      if (format === 'pretty') {
        const colorize = typeof options.colorize === 'boolean' ? options.colorize : given.isTTY === true && !process.env.NO_COLOR;
        formatter = prettyFormatter({ id, settings, options: { colorize } });
      }
    }
    this.write = createEntryWriter(stream, formatter);
  }

  handle(record: HandlerRecord): void {
    this.write(record);
  }

  jsonLines(name: string): JsonLineWriter | undefined {
    return this.write.jsonLines?.(name);
  }

  flush(timeoutMs: number): Promise<void> {
    return this.usesBuffer ? flushBuffered(timeoutMs) : Promise.resolve();
  }
}
