/**
 * Applying LOGGING over DEFAULT_LOGGING. Django runs dictConfig twice (defaults, then LOGGING);
 * the outcome people expect from that is kept, and two of its traps are removed on purpose:
 *
 * - Formatters, filters and handlers are replaced by name. Redefining `mail_admins` as
 *   `{ class: 'null' }` stops admin mail everywhere that handler is used. (In Django the loggers
 *   configured by the defaults keep the old handler object unless they are redefined too.)
 * - A logger entry is laid over the default entry of the same name, key by key: `{ level:
 *   'WARNING' }` on 'reinhardt' changes the level and keeps the handlers. (dictConfig would drop
 *   the handlers.) `handlers: []` says "no handlers" explicitly.
 * - disable_existing_loggers defaults to false. With true, the default loggers that LOGGING does
 *   not name are dropped, and records on them and their descendants are discarded, unless the
 *   logger is under one that LOGGING names, as with dictConfig. Loggers are names here, not
 *   objects created at import time, so the rule does not depend on what was imported first.
 */
import { DEFAULT_LOGGING } from './default-logging.js';
import { ConfigProblems, isPlainObject, q } from './problems.js';

export interface LoggerEntry {
  handlers?: unknown;
  level?: unknown;
  propagate?: unknown;
  filters?: unknown;
}

export interface EffectiveLogging {
  formatters: Record<string, unknown>;
  filters: Record<string, unknown>;
  handlers: Record<string, unknown>;
  loggers: Record<string, LoggerEntry>;
  root: LoggerEntry;
  /** Records on these loggers and their descendants are discarded... */
  disabled: readonly string[];
  /** ...unless the logger is (under) one of these, which LOGGING configured. */
  kept: readonly string[];
}

const TOP_LEVEL = new Set(['version', 'disable_existing_loggers', 'formatters', 'filters', 'handlers', 'loggers', 'root', 'incremental']);
const LOGGER_KEYS = new Set(['handlers', 'level', 'propagate', 'filters']);

/** Python spells the root logger '' as well; getLogger() with no name is 'root'. */
export function isRootName(name: string): boolean {
  return name === '' || name === 'root';
}

function section(config: Record<string, unknown>, key: string, problems: ConfigProblems): Record<string, unknown> {
  const value = config[key];
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    problems.add(`LOGGING ${q(key)} must be an object of named entries (got ${describe(value)}).`);
    return {};
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `a ${typeof value}`;
}

function loggerEntry(where: string, value: unknown, problems: ConfigProblems): LoggerEntry {
  if (!isPlainObject(value)) {
    problems.add(`LOGGING ${where} must be an object like { handlers: ['console'], level: 'INFO' } (got ${describe(value)}).`);
    return {};
  }
  for (const key of Object.keys(value)) {
    if (!LOGGER_KEYS.has(key)) {
      problems.add(`LOGGING ${where}: unknown key ${q(key)}; a logger takes handlers, level, propagate and filters.`);
    }
  }
  return value;
}

/** Keys the user gave (undefined means "not given") laid over the default entry. */
function overlay(base: LoggerEntry | undefined, over: LoggerEntry | undefined): LoggerEntry {
  const out: LoggerEntry = { ...base };
  for (const [k, v] of Object.entries(over ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function plainCopy(config: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}

export function mergeLogging(user: unknown, problems: ConfigProblems, defaults: object = DEFAULT_LOGGING): EffectiveLogging {
  const base = plainCopy(defaults);
  let config: Record<string, unknown> = {};
  if (user !== undefined && user !== null) {
    if (isPlainObject(user)) config = user;
    else problems.add(`LOGGING must be an object (dictConfig's shape: version, handlers, loggers, ...), got ${describe(user)}.`);
  }

  for (const key of Object.keys(config)) {
    if (!TOP_LEVEL.has(key)) {
      problems.add(`LOGGING: unknown key ${q(key)}. Known keys: ${[...TOP_LEVEL].filter((k) => k !== 'incremental').join(', ')}.`);
    }
  }
  if (config.version !== undefined && config.version !== 1) {
    problems.add(`LOGGING version must be 1 (got ${describe(config.version)}).`);
  }
  if (config.incremental !== undefined && config.incremental !== false) {
    problems.add("LOGGING 'incremental' is not supported: LOGGING is always applied over DEFAULT_LOGGING, entry by entry.");
  }
  const disable = config.disable_existing_loggers ?? false;
  if (typeof disable !== 'boolean') {
    problems.add(`LOGGING disable_existing_loggers must be true or false (got ${describe(disable)}).`);
  }

  const userLoggers: Record<string, LoggerEntry> = {};
  let userRoot: LoggerEntry | undefined;
  for (const [name, value] of Object.entries(section(config, 'loggers', problems))) {
    const entry = loggerEntry(`logger ${q(name)}`, value, problems);
    if (isRootName(name)) userRoot = overlay(userRoot, entry);
    else userLoggers[name] = entry;
  }
  if (config.root !== undefined) userRoot = overlay(userRoot, loggerEntry("'root'", config.root, problems));

  const defaultLoggers = (base.loggers ?? {}) as Record<string, LoggerEntry>;
  const loggers: Record<string, LoggerEntry> = {};
  const disabled: string[] = [];
  if (disable === true) {
    Object.assign(loggers, userLoggers);
    for (const name of Object.keys(defaultLoggers)) if (!(name in userLoggers)) disabled.push(name);
  } else {
    for (const name of new Set([...Object.keys(defaultLoggers), ...Object.keys(userLoggers)])) {
      loggers[name] = overlay(defaultLoggers[name], userLoggers[name]);
    }
  }

  return {
    formatters: { ...(base.formatters as object), ...section(config, 'formatters', problems) },
    filters: { ...(base.filters as object), ...section(config, 'filters', problems) },
    handlers: { ...(base.handlers as object), ...section(config, 'handlers', problems) },
    loggers,
    root: overlay((base.root ?? {}) as LoggerEntry, userRoot),
    disabled,
    kept: Object.keys(userLoggers),
  };
}
