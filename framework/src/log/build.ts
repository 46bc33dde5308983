/**
 * LOGGING (over DEFAULT_LOGGING) into live parts: filters, formatters, handlers and the logger
 * tree the router walks. Components are chosen by short name (`class: 'file'`) or given as
 * imported implementations; an unknown name is RH_ERR_UNKNOWN_COMPONENT with the known names.
 * Every problem is collected and reported at once; handlers already built (an opened file) are
 * closed before the error is thrown.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import { ReinhardtError } from '../errors.js';
import { filterFactory, type HandlerImpl, loadFormatter, loadHandler, logFilterNames, logFormatterNames, logHandlerNames } from './registry.js';
import { parseLevel, levelNames } from './levels.js';
import { type EffectiveLogging, type LoggerEntry, mergeLogging } from './merge-config.js';
import { ConfigProblems, isPlainObject, q } from './problems.js';
import type { HandlerSlot, LoggerNode } from './router.js';
import type { Formatter, HandlerContext, LogFilter, LogHandler, TextStream } from './types.js';
import { LEVELS } from './logger.js';

export interface BuildOptions {
  /** The stream console handlers write to unless their entry names one. */
  stream?: TextStream | undefined;
  /** Where logging reports its own trouble. */
  errorStream?: TextStream | undefined;
}

export interface BuiltLogging {
  readonly loggers: ReadonlyMap<string, LoggerNode>;
  readonly root: LoggerNode;
  readonly handlers: ReadonlyMap<string, LogHandler>;
  readonly effective: EffectiveLogging;
  readonly errorStream: TextStream;
}

const HANDLER_KEYS = new Set(['class', '()', 'level', 'filters', 'formatter']);

const list = (names: readonly string[]) => names.map(q).join(', ');

function isLogFilter(value: unknown): value is LogFilter {
  return typeof value === 'function' || (value !== null && typeof value === 'object' && typeof (value as { filter?: unknown }).filter === 'function');
}

function isHandler(value: unknown): value is LogHandler {
  return value !== null && typeof value === 'object' && typeof (value as { handle?: unknown }).handle === 'function';
}

/** A class (its prototype has handle(), or it is written `class`) is built with new; else called. */
function construct(impl: HandlerImpl, ctx: HandlerContext): unknown {
  const proto = (impl as { prototype?: { handle?: unknown } }).prototype;
  const isClass = typeof proto?.handle === 'function' || /^class[\s{]/.test(Function.prototype.toString.call(impl));
  return isClass ? new (impl as new (c: HandlerContext) => unknown)(ctx) : (impl as (c: HandlerContext) => unknown)(ctx);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class Builder {
  readonly filters = new Map<string, LogFilter>();
  readonly formatters = new Map<string, Formatter>();
  readonly handlers = new Map<string, { handler: LogHandler; slot: HandlerSlot }>();

  constructor(
    readonly settings: LoadedSettings,
    readonly effective: EffectiveLogging,
    readonly problems: ConfigProblems,
    readonly errorStream: TextStream,
    readonly defaultStream: TextStream | undefined,
  ) {}

  buildFilter(id: string, entry: unknown): void {
    try {
      if (isLogFilter(entry) && !isPlainObject(entry)) {
        this.filters.set(id, entry);
        return;
      }
      const spec = typeof entry === 'string' ? { '()': entry } : entry;
      if (!isPlainObject(spec) || spec['()'] === undefined) {
        this.problems.add(`LOGGING filter ${q(id)} must be a short name (${list(logFilterNames())}), a function (record) => boolean, or { '()': name or factory, ...options }.`);
        return;
      }
      const { '()': factoryRef, ...options } = spec;
      let factory: unknown = factoryRef;
      if (typeof factoryRef === 'string') {
        factory = filterFactory(factoryRef);
        if (!factory) {
          this.problems.add(`LOGGING filter ${q(id)}: unknown filter ${q(factoryRef)}. Known filters: ${list(logFilterNames())}; or give a function.`, 'RH_ERR_UNKNOWN_COMPONENT');
          return;
        }
      }
      if (typeof factory !== 'function') {
        this.problems.add(`LOGGING filter ${q(id)}: '()' must be a filter's short name or a factory function (got ${typeof factory}).`, 'RH_ERR_UNKNOWN_COMPONENT');
        return;
      }
      const made: unknown = (factory as (ctx: unknown) => unknown)({ id, settings: this.settings, options });
      if (!isLogFilter(made)) {
        this.problems.add(`LOGGING filter ${q(id)}: its factory must return a filter, a function (record) => boolean or an object with filter(record) (got ${typeof made}).`);
        return;
      }
      this.filters.set(id, made);
    } catch (err) {
      this.problems.add(`LOGGING filter ${q(id)}: ${messageOf(err)}`);
    }
  }

  async buildFormatter(id: string, entry: unknown): Promise<void> {
    if (!isPlainObject(entry)) {
      this.problems.add(`LOGGING formatter ${q(id)} must be an object such as { format: '{levelname} {name}: {message}' } or { '()': 'json' }.`);
      return;
    }
    const { '()': ref = 'text', ...options } = entry;
    try {
      let factory: unknown = ref;
      if (typeof ref === 'string') {
        factory = await loadFormatter(ref);
        if (!factory) {
          this.problems.add(`LOGGING formatter ${q(id)}: unknown formatter ${q(ref)}. Known formatters: ${list(logFormatterNames())}; or give a factory function.`, 'RH_ERR_UNKNOWN_COMPONENT');
          return;
        }
      }
      if (typeof factory !== 'function') {
        this.problems.add(`LOGGING formatter ${q(id)}: '()' must be a formatter's short name or a factory function.`, 'RH_ERR_UNKNOWN_COMPONENT');
        return;
      }
      const made: unknown = (factory as (ctx: unknown) => unknown)({ id, settings: this.settings, options });
      if (typeof made !== 'function') {
        this.problems.add(`LOGGING formatter ${q(id)}: its factory must return a function (entry) => string.`);
        return;
      }
      this.formatters.set(id, made as Formatter);
    } catch (err) {
      this.problems.add(`LOGGING formatter ${q(id)}: ${messageOf(err)}`);
    }
  }

  /** Filters named in a handler's or logger's list: ids from LOGGING, built-in names, or functions. */
  resolveFilters(where: string, refs: unknown): LogFilter[] {
    if (refs === undefined) return [];
    if (!Array.isArray(refs)) {
      this.problems.add(`LOGGING ${where}: filters must be a list of filter names or functions.`);
      return [];
    }
    const out: LogFilter[] = [];
    for (const ref of refs as unknown[]) {
      if (typeof ref === 'string') {
        const defined = this.filters.get(ref);
        if (defined) {
          out.push(defined);
          continue;
        }
        if (ref in this.effective.filters) continue; // defined but broken: already reported
        const factory = filterFactory(ref);
        if (factory) {
          out.push(factory({ id: ref, settings: this.settings, options: {} }));
          continue;
        }
        this.problems.add(
          `LOGGING ${where}: unknown filter ${q(ref)}. Filters defined in LOGGING: ${list(Object.keys(this.effective.filters))}; built-in filters: ${list(logFilterNames())}.`,
          'RH_ERR_UNKNOWN_COMPONENT',
        );
      } else if (isLogFilter(ref)) {
        out.push(ref);
      } else {
        this.problems.add(`LOGGING ${where}: a filter must be a name or a function (got ${typeof ref}).`);
      }
    }
    return out;
  }

  parseLevelOf(where: string, value: unknown): number | undefined {
    if (value === undefined) return undefined;
    const level = parseLevel(value);
    if (level === undefined) this.problems.add(`LOGGING ${where}: unknown level ${JSON.stringify(value)}. Levels: ${list([...levelNames(), 'NOTSET'])} or a number.`);
    return level;
  }

  async buildHandler(id: string, entry: unknown): Promise<void> {
    const where = `handler ${q(id)}`;
    if (!isPlainObject(entry)) {
      this.problems.add(`LOGGING ${where} must be an object such as { class: 'console', level: 'INFO' }.`);
      return;
    }
    const classRef = entry.class;
    const factoryRef = entry['()'];
    let impl: HandlerImpl | undefined;
    let instance: LogHandler | undefined;
    if (typeof classRef === 'string') {
      impl = await loadHandler(classRef);
      if (!impl) {
        this.problems.add(
          `LOGGING ${where}: unknown handler class ${q(classRef)}. Known handler classes: ${list(logHandlerNames())}; or give an imported handler class, or a factory under '()'.`,
          'RH_ERR_UNKNOWN_COMPONENT',
        );
        return;
      }
    } else if (typeof classRef === 'function') {
      impl = classRef as HandlerImpl;
    } else if (isHandler(classRef)) {
      instance = classRef;
    } else if (typeof factoryRef === 'function') {
      impl = factoryRef as HandlerImpl;
    } else {
      this.problems.add(`LOGGING ${where} needs a class: one of ${list(logHandlerNames())}, an imported handler class, or a factory under '()'.`, 'RH_ERR_UNKNOWN_COMPONENT');
      return;
    }

    const level = this.parseLevelOf(where, entry.level) ?? 0;
    const filters = this.resolveFilters(where, entry.filters);
    let formatter: Formatter | undefined;
    if (entry.formatter !== undefined) {
      if (typeof entry.formatter === 'string' && this.formatters.has(entry.formatter)) {
        formatter = this.formatters.get(entry.formatter);
      } else if (typeof entry.formatter === 'string' && entry.formatter in this.effective.formatters) {
        return; // defined but broken: already reported
      } else {
        this.problems.add(
          `LOGGING ${where}: unknown formatter ${JSON.stringify(entry.formatter)}. Formatters defined in LOGGING: ${list(Object.keys(this.effective.formatters))}.`,
          'RH_ERR_UNKNOWN_COMPONENT',
        );
        return;
      }
    }
    const options: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entry)) if (!HANDLER_KEYS.has(k)) options[k] = v;

    let handler: LogHandler;
    try {
      const made = instance ?? construct(impl!, { id, settings: this.settings, options, formatter, errorStream: this.errorStream, defaultStream: this.defaultStream });
      if (!isHandler(made)) {
        this.problems.add(`LOGGING ${where}: the class or factory given did not make a handler (an object with handle(record)).`, 'RH_ERR_UNKNOWN_COMPONENT');
        return;
      }
      handler = made;
    } catch (err) {
      if (err instanceof ReinhardtError) {
        const message = err.message.startsWith(`LOGGING ${where}`) ? err.message : `LOGGING ${where}: ${err.message}`;
        this.problems.add(message, err.code);
      } else {
        this.problems.add(`LOGGING ${where} could not be built: ${messageOf(err)}`);
      }
      return;
    }
    this.handlers.set(id, { handler, slot: { id, handler, level, filters } });
  }

  buildLogger(where: string, entry: LoggerEntry, isRoot: boolean): LoggerNode {
    const level = this.parseLevelOf(where, entry.level);
    const slots: HandlerSlot[] = [];
    if (entry.handlers !== undefined && !Array.isArray(entry.handlers)) {
      this.problems.add(`LOGGING ${where}: handlers must be a list of handler names, such as ['console'].`);
    } else {
      for (const ref of (entry.handlers ?? []) as unknown[]) {
        const built = typeof ref === 'string' ? this.handlers.get(ref) : undefined;
        if (built) slots.push(built.slot);
        else if (typeof ref === 'string' && ref in this.effective.handlers) continue; // defined but broken: already reported
        else {
          this.problems.add(
            `LOGGING ${where}: unknown handler ${JSON.stringify(ref)}. Handlers defined in LOGGING (and DEFAULT_LOGGING): ${list(Object.keys(this.effective.handlers))}.`,
            'RH_ERR_UNKNOWN_COMPONENT',
          );
        }
      }
    }
    const propagate = entry.propagate ?? true;
    if (typeof propagate !== 'boolean') this.problems.add(`LOGGING ${where}: propagate must be true or false.`);
    return {
      level: isRoot ? (level ?? LEVELS.WARNING) : level,
      handlers: slots,
      propagate: propagate !== false,
      filters: this.resolveFilters(where, entry.filters),
    };
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.handlers.values()].map(async ({ handler }) => handler.close?.()));
  }
}

export async function buildLogging(settings: LoadedSettings, options: BuildOptions = {}): Promise<BuiltLogging> {
  const problems = new ConfigProblems();
  const effective = mergeLogging(settings.LOGGING, problems);
  const errorStream = options.errorStream ?? process.stderr;
  const b = new Builder(settings, effective, problems, errorStream, options.stream);

  for (const [id, entry] of Object.entries(effective.filters)) b.buildFilter(id, entry);
  for (const [id, entry] of Object.entries(effective.formatters)) await b.buildFormatter(id, entry);
  for (const [id, entry] of Object.entries(effective.handlers)) await b.buildHandler(id, entry);
  const loggers = new Map<string, LoggerNode>();
  for (const [name, entry] of Object.entries(effective.loggers)) loggers.set(name, b.buildLogger(`logger ${q(name)}`, entry, false));
  const root = b.buildLogger('root logger', effective.root, true);

  if (b.problems.size) {
    await b.closeAll();
    b.problems.throwIfAny();
  }
  const handlers = new Map([...b.handlers].map(([id, { handler }]) => [id, handler] as const));
  return { loggers, root, handlers, effective, errorStream };
}
