/**
 * The writing handlers (console, file) share this: a pino logger per handler turns a record into
 * a JSON line. What it writes is already masked and redacted (prepare.ts, the one place that
 * does it for every handler), so pino's own redaction is not configured: its fixed paths only
 * repeated prepare.ts's masking of the same names, at about 150 ns a record. The line goes
 * straight to the stream (JSON output, pino's fast path), or through a text formatter (pretty,
 * text) whose output is guarded so that it cannot hold a forged line.
 */
import type pino from 'pino';
import { guardLines } from './escape.js';
import { jsonFormatter } from './formatters/text.js';
import type { LevelName } from './logger.js';
import type { Formatter, HandlerRecord, JsonLineWriter, LogEntry, TextStream } from './types.js';

let loadedPino: typeof pino | undefined;

/**
 * pino is loaded by the registry before it builds the first writing handler (log/registry.ts),
 * not by every command that imports the framework.
 */
export async function loadPino(): Promise<typeof pino> {
  loadedPino ??= (await import('pino')).default;
  return loadedPino;
}

/** pino itself, for the writing handlers (loaded by then). */
export function pinoLib(): typeof pino {
  if (!loadedPino) throw new Error('pino is not loaded yet: a writing handler was built without the log registry (await loadPino() first).');
  return loadedPino;
}

const METHOD: Readonly<Record<LevelName, 'debug' | 'info' | 'warning' | 'error' | 'critical'>> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warning',
  ERROR: 'error',
  CRITICAL: 'critical',
};

const CUSTOM_LEVELS = { debug: 10, info: 20, warning: 30, error: 40, critical: 50 } as const;
/** Logger names are few; a flood of distinct ones only restarts the cache. */
const MAX_CHILDREN = 1000;

export interface EntryWriter {
  (record: HandlerRecord): void;
  /**
   * JSON output only: a writer of pre-rendered records on logger `name` (log/types.ts
   * JsonLineWriter) that writes what pino writes for them: the level and time as the options
   * below make them, then pino's own serialised bindings of the child for `name` (pid,
   * hostname, name), then the rendered fields.
   */
  readonly jsonLines: ((name: string) => JsonLineWriter) | undefined;
}

/**
 * A record's time (whole milliseconds since 1970) as JSON writes it. Today's times are past 2^31,
 * doubles rather than small integers, and V8 turns a double into text with its shortest
 * round-trip algorithm, about 1,000 instructions (scripts/bench/instructions.sh); two small
 * integers (the millions, then six digits) take a fraction of that.
 */
export function timeText(time: number): string {
  if (!Number.isInteger(time) || time < 1e6 || time >= 1e15) return String(time);
  const millions = Math.floor(time / 1e6);
  return `${millions}${String(time - millions * 1e6 + 1e6).slice(1)}`;
}

/** A writer of records to `stream`, as JSON lines or through `formatter`. */
export function createEntryWriter(stream: TextStream, formatter: Formatter | undefined): EntryWriter {
  let time = 0;
  const direct = formatter === undefined || formatter === jsonFormatter;
  const target: TextStream = direct
    ? stream
    : {
        write(line: string) {
          const entry = JSON.parse(line) as LogEntry;
          stream.write(`${guardLines(formatter(entry))}\n`);
        },
      };
  const logger = pinoLib()<keyof typeof CUSTOM_LEVELS>(
    {
      level: 'debug',
      customLevels: CUSTOM_LEVELS,
      useOnlyCustomLevels: true,
      messageKey: 'msg',
      // The record's own time (it may be written a moment after it was made).
      timestamp: () => `,"time":${time}`,
      formatters: { level: (label) => ({ level: label.toUpperCase() }) },
      // errInfo is already plain, redacted data.
      serializers: { err: (e: unknown) => e },
    },
    target as pino.DestinationStream,
  );
  // One child per logger name: pino serialises a child's bindings once, instead of the name on
  // every line (and without copying the fields into a new object to add it).
  const children = new Map<string, pino.Logger<keyof typeof CUSTOM_LEVELS>>();
  const childFor = (name: string) => {
    let child = children.get(name);
    if (!child) {
      if (children.size >= MAX_CHILDREN) children.clear();
      child = logger.child({ name });
      children.set(name, child);
    }
    return child;
  };
  const write = (record: HandlerRecord) => {
    time = record.time;
    const fields = record.errInfo ? { ...record.fields, err: record.errInfo } : record.fields;
    childFor(record.name)[METHOD[record.level]](fields, record.msg);
  };
  // A stream that reads pino's per-line metadata (pino.multistream routes by lastLevel) gets
  // every line from pino itself.
  const readsMetadata = (stream as unknown as Record<symbol, unknown>)[Symbol.for('pino.metadata')] === true;
  const jsonLines = direct && !readsMetadata
    ? (name: string): JsonLineWriter => {
        const bindings = (childFor(name) as unknown as Record<symbol, unknown>)[pinoLib().symbols.chindingsSym];
        if (typeof bindings !== 'string') throw new Error(`pino's bindings of a child logger are not a string (${typeof bindings}): this pino version is not supported.`);
        return (level, time, fields) => stream.write(`{"level":"${level}","time":${timeText(time)}${bindings}${fields}}\n`);
      }
    : undefined;
  return Object.assign(write, { jsonLines });
}
