/**
 * Loggers by dotted name, like Python's logging.getLogger: `getLogger('coffeehouse.stores')`.
 * A logger only names and levels a record; where records go (console, file, mail to ADMINS) is
 * decided by the LOGGING configuration, applied by `configureLogging()` in ./configure.ts, which
 * installs the record sink. Before that, records at WARNING and above go to stderr as JSON lines
 * so nothing is lost during boot.
 */
import type { JsonLineWriter } from './types.js';

export const LEVELS = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;
export type LevelName = keyof typeof LEVELS;

export interface LogRecord {
  /** Dotted logger name: 'reinhardt.request'. */
  readonly name: string;
  readonly level: LevelName;
  readonly levelNo: number;
  readonly msg: string;
  readonly time: number;
  /**
   * Structured fields given by the caller (never allowed to replace name/level/msg/time); an
   * `err` key here is the record's error (also in `err`), not a field.
   */
  readonly extra: Readonly<Record<string, unknown>>;
  /** The error being logged, if any (its stack goes to handlers that want it). */
  readonly err: unknown;
}

export type RecordSink = (record: LogRecord) => void;

/** A sink's view of whether a level would be handled for a logger name (cheap pre-check). */
export type LevelGate = (name: string, levelNo: number) => boolean;

/** A sink's writer of pre-rendered JSON lines for a logger name and level, when it has one. */
export type LineSource = (name: string, levelNo: number) => JsonLineWriter | undefined;

const fallbackSink: RecordSink = (record) => {
  if (record.levelNo < LEVELS.WARNING) return;
  const line = { level: record.level, time: record.time, name: record.name, msg: record.msg, ...safeExtra(record.extra) };
  process.stderr.write(`${JSON.stringify(line)}\n`);
};

const noLines: LineSource = () => undefined;

let sink: RecordSink = fallbackSink;
let gate: LevelGate = (_name, levelNo) => levelNo >= LEVELS.WARNING;
let lines: LineSource = noLines;

/**
 * Install where records go (done by configureLogging; tests may install a capturing sink, which
 * then sees every record: without a line source, nothing takes the pre-rendered path).
 */
export function installSink(newSink: RecordSink | undefined, newGate?: LevelGate, newLines?: LineSource): void {
  sink = newSink ?? fallbackSink;
  gate = newGate ?? ((_n, levelNo) => levelNo >= (newSink ? LEVELS.DEBUG : LEVELS.WARNING));
  lines = newLines ?? noLines;
}

function safeExtra(extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extra)) {
    if (k === 'request' || k === 'err' || k === 'level' || k === 'time' || k === 'msg' || k === 'name') continue;
    out[k] = v instanceof Error ? { type: v.name, message: v.message } : v;
  }
  return out;
}

const NO_OPTIONS: LogOptions = Object.freeze({});

export interface LogOptions {
  /** The error being logged; its traceback goes to handlers that show one. */
  err?: unknown;
  [field: string]: unknown;
}

export class Logger {
  constructor(readonly name: string) {}

  isEnabledFor(level: LevelName): boolean {
    return gate(this.name, LEVELS[level]);
  }

  log(level: LevelName, msg: string, options: LogOptions = NO_OPTIONS): void {
    logAt(this, Date.now(), level, msg, options);
  }

  debug(msg: string, options?: LogOptions): void {
    this.log('DEBUG', msg, options);
  }
  info(msg: string, options?: LogOptions): void {
    this.log('INFO', msg, options);
  }
  warning(msg: string, options?: LogOptions): void {
    this.log('WARNING', msg, options);
  }
  error(msg: string, options?: LogOptions): void {
    this.log('ERROR', msg, options);
  }
  critical(msg: string, options?: LogOptions): void {
    this.log('CRITICAL', msg, options);
  }
  /** An error with its traceback, at ERROR. */
  exception(msg: string, err: unknown, options: LogOptions = {}): void {
    this.log('ERROR', msg, { ...options, err });
  }
}

/**
 * A record made earlier than it is handed over, with the time it happened (the access log
 * gathers a turn's responses and logs them together). Internal: not part of reinhardt/log.
 */
export function logAt(logger: Logger, time: number, level: LevelName, msg: string, options: LogOptions = NO_OPTIONS): void {
  const levelNo = LEVELS[level];
  if (!gate(logger.name, levelNo)) return;
  // The options object is the record's fields as it is (no copy on the hot path); its `err`
  // is the record's error and is never written as a field.
  sink({ name: logger.name, level, levelNo, msg, time, extra: options, err: options.err });
}

/**
 * For the access log: the writer of pre-rendered JSON lines (log/types.ts JsonLineWriter) for
 * records at `level` on `logger`, or undefined when they must take logAt (a filter, a handler
 * that is not a plain JSON writer, no handler at all). Cheap enough to ask for every record.
 */
export function jsonLineWriter(logger: Logger, level: LevelName): JsonLineWriter | undefined {
  return lines(logger.name, LEVELS[level]);
}

const loggers = new Map<string, Logger>();

/** The logger for a dotted name; the same object for the same name. */
export function getLogger(name = 'root'): Logger {
  let logger = loggers.get(name);
  if (!logger) {
    logger = new Logger(name);
    loggers.set(name, logger);
  }
  return logger;
}
