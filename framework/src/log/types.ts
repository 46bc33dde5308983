/**
 * The shapes LOGGING is made of: the dictConfig-style configuration users write, and the
 * component interfaces (handler, filter, formatter) that short names and imported
 * implementations both resolve to.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import type { LevelName, LogRecord } from './logger.js';

/** Anything with a `write(text)`: process.stdout, a file stream, a test's collector. */
export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

/** The error of a record, as handlers and formatters see it: redacted, plain data. */
export interface ErrorInfo {
  readonly type: string;
  readonly message: string;
  readonly stack: string | undefined;
}

/**
 * A record on its way to a handler. `fields` are the caller's structured fields made safe to
 * write: secret names masked, secret values redacted, errors reduced to plain data, and keys that
 * would shadow the record's own (level, time, msg, name, pid, hostname) renamed `extra_<key>`.
 * `request` is the HttpRequest a framework record carries (error mail reads it); it never appears
 * among the fields.
 */
export interface HandlerRecord extends LogRecord {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly errInfo: ErrorInfo | undefined;
  readonly request: unknown;
}

/** Where a record goes once its logger and the handler's level and filters let it through. */
export interface LogHandler {
  handle(record: HandlerRecord): void;
  /**
   * False when this handler can never emit anything with these settings (the 'null' handler,
   * mail-admins with no ADMINS): the level gate then skips it, so routes that end there cost
   * nothing.
   */
  readonly active?: boolean;
  /**
   * For records of one fixed shape made on the hot path (the access log): a writer of such a
   * record on logger `name` whose JSON has already been rendered, writing exactly the line that
   * handle() would. Only handlers that write plain JSON lines offer one (see JsonLineWriter).
   */
  jsonLines?(name: string): JsonLineWriter | undefined;
  /** Push out what is buffered or queued; resolve once it has left (or the time is up). */
  flush?(timeoutMs: number): Promise<void>;
  /** Release files and timers. Records handled after close may be dropped. */
  close?(): Promise<void> | void;
}

/**
 * Writes one record as a JSON line from its rendered parts: `fields` is everything after the
 * logger's name, `,"key":value` for each field and then `,"msg":"..."`, made from values already
 * redacted as prepare.ts would (http/access-log.ts, whose test holds both paths to the same
 * bytes). The access log uses it when every handler its records reach takes one and no filter
 * looks at them; a record then costs a string and a write instead of the generic preparation and
 * pino's serialiser: 1.5 µs of CPU instead of 2.6 (access-log records in batches of 55, as a
 * loaded server makes them, written to a file; in-process, median of runs).
 */
export type JsonLineWriter = (level: LevelName, time: number, fields: string) => void;

/** What a handler implementation is given when LOGGING builds it. */
export interface HandlerContext {
  /** The handler's name in LOGGING (`'mail_admins'`), for messages. */
  readonly id: string;
  readonly settings: LoadedSettings;
  /** The handler's own options: its LOGGING entry without class, level, filters and formatter. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The formatter LOGGING gave the handler, if any. */
  readonly formatter: Formatter | undefined;
  /** Where logging reports its own trouble (a file it cannot write): stderr unless a test says otherwise. */
  readonly errorStream: TextStream;
  /** The stream console handlers default to (configureLogging's `stream` option, else stderr). */
  readonly defaultStream: TextStream | undefined;
}

export type LogHandlerClass = new (ctx: HandlerContext) => LogHandler;
export type LogHandlerFactory = (ctx: HandlerContext) => LogHandler;

/**
 * The entry a formatter turns into text: what a JSON line holds, already redacted. `level` is the
 * level name, `time` epoch milliseconds, `err` the ErrorInfo when the record carries an error.
 */
export interface LogEntry {
  level: string;
  time: number;
  name: string;
  msg: string;
  [field: string]: unknown;
}

/** One line of text (no trailing newline) for an entry. */
export type Formatter = (entry: LogEntry) => string;

export interface FormatterContext {
  readonly id: string;
  readonly settings: LoadedSettings;
  readonly options: Readonly<Record<string, unknown>>;
}

export type FormatterFactory = (ctx: FormatterContext) => Formatter;

/** A filter says whether a record goes on. Python's filter objects work too. */
export type LogFilter = ((record: LogRecord) => boolean) | { filter(record: LogRecord): boolean };

export interface FilterContext {
  readonly id: string;
  readonly settings: LoadedSettings;
  readonly options: Readonly<Record<string, unknown>>;
}

export type FilterFactory = (ctx: FilterContext) => LogFilter;

/** A handler entry of LOGGING. Options other than these keys go to the handler. */
export interface HandlerConfig {
  /** 'console' | 'file' | 'mail-admins' | 'null', a registered name, or an imported class. */
  class?: string | LogHandlerClass | LogHandler;
  /** A factory called with the handler context (dictConfig's '()'). */
  '()'?: LogHandlerFactory;
  level?: string | number;
  filters?: readonly (string | LogFilter)[];
  formatter?: string;
  [option: string]: unknown;
}

export interface FilterConfig {
  /** 'require-debug-false' | 'require-debug-true', a registered name, or a factory (ctx) => filter. */
  '()': string | FilterFactory;
  [option: string]: unknown;
}

export interface FormatterConfig {
  /** 'json' | 'pretty' | 'text' | 'server', a registered name, or a factory (ctx) => formatter. */
  '()'?: string | FormatterFactory;
  /** For text formatters: '{levelname} {name}: {message}' (style '{') or '%(message)s' (style '%'). */
  format?: string;
  style?: '{' | '%';
  [option: string]: unknown;
}

export interface LoggerConfig {
  handlers?: readonly string[];
  level?: string | number;
  propagate?: boolean;
  filters?: readonly (string | LogFilter)[];
}

/** Django's LOGGING (logging.config.dictConfig), applied over DEFAULT_LOGGING. */
export interface LoggingConfig {
  version?: 1;
  disable_existing_loggers?: boolean;
  formatters?: Record<string, FormatterConfig>;
  /** A filter entry, a built-in filter's short name, or a filter function. */
  filters?: Record<string, FilterConfig | string | LogFilter>;
  handlers?: Record<string, HandlerConfig>;
  loggers?: Record<string, LoggerConfig>;
  root?: LoggerConfig;
}
