/**
 * 'console': records on stderr (like Python's StreamHandler), or on `stream` ('stdout',
 * 'stderr' or any object with write(), which is how tests capture it).
 * Format, unless a `formatter` is given: pretty lines in DEBUG, JSON lines otherwise (the
 * `format` option, 'pretty' or 'json', overrides). Colours only on a terminal, never with
 * NO_COLOR; `colorize` overrides.
 */
import { ImproperlyConfigured } from '../../errors.js';
import { prettyFormatter } from '../formatters/pretty.js';
import { createEntryWriter, type EntryWriter } from '../pino-writer.js';
import { q } from '../problems.js';
import type { Formatter, HandlerContext, HandlerRecord, LogHandler, TextStream } from '../types.js';

export function pickStream(value: unknown, fallback: TextStream | undefined, id: string): TextStream {
  if (value === undefined) return fallback ?? process.stderr;
  if (value === 'stderr') return process.stderr;
  if (value === 'stdout') return process.stdout;
  if (value !== null && typeof value === 'object' && typeof (value as TextStream).write === 'function') return value as TextStream;
  throw new ImproperlyConfigured(`LOGGING handler ${q(id)}: stream must be 'stdout', 'stderr' or an object with write() (got ${JSON.stringify(value) ?? typeof value}).`);
}

export class ConsoleHandler implements LogHandler {
  private readonly write: EntryWriter;

  constructor(ctx: HandlerContext) {
    const { id, options, settings } = ctx;
    const stream = pickStream(options.stream, ctx.defaultStream, id);
    let formatter: Formatter | undefined = ctx.formatter;
    if (!formatter) {
      const format = options.format ?? (settings.DEBUG ? 'pretty' : 'json');
      if (format !== 'pretty' && format !== 'json') {
        throw new ImproperlyConfigured(`LOGGING handler ${q(id)}: format must be 'pretty' or 'json' (got ${JSON.stringify(format)}); use a formatter for other layouts.`);
      }
      if (format === 'pretty') {
        const colorize = typeof options.colorize === 'boolean' ? options.colorize : stream.isTTY === true && !process.env.NO_COLOR;
        formatter = prettyFormatter({ id, settings, options: { colorize } });
      }
    }
    this.write = createEntryWriter(stream, formatter);
  }

  handle(record: HandlerRecord): void {
    this.write(record);
  }
}
