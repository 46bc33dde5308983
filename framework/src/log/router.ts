/**
 * Where a record goes: Python's logging hierarchy over dotted names.
 *
 * - A record on 'reinhardt.security.DisallowedHost' is handled by that logger's handlers, then
 *   by those of 'reinhardt.security', 'reinhardt' and the root, stopping after a logger whose
 *   propagate is false. Names with nothing configured are passed through.
 * - The logger's effective level (its own, else the nearest ancestor's, else root's WARNING)
 *   decides whether the record is made at all; each handler's level and filters decide whether
 *   it takes it. Logger filters apply on the logger the record was made on, as in Python.
 * - A record that finds no handler at all goes to the last-resort handler (stderr, WARNING and
 *   above), so nothing important disappears with an empty configuration.
 *
 * Logging sits on the request hot path, so everything that depends only on the name is worked
 * out once per name and cached: the gate that Logger calls before making a record is one Map
 * lookup and a comparison, and a level nobody handles costs nothing more. The cache lives as long
 * as this router; configuring again builds a new router.
 */
import { constantAnswer, passes } from './filters.js';
import { LEVELS, type LogRecord } from './logger.js';
import { prepareRecord } from './prepare.js';
import type { HandlerRecord, JsonLineWriter, LogFilter, LogHandler, TextStream } from './types.js';

export interface HandlerSlot {
  readonly id: string;
  readonly handler: LogHandler;
  readonly level: number;
  readonly filters: readonly LogFilter[];
}

export interface LoggerNode {
  /** undefined or 0 (NOTSET): inherit. */
  readonly level: number | undefined;
  readonly handlers: readonly HandlerSlot[];
  readonly propagate: boolean;
  readonly filters: readonly LogFilter[];
}

interface Route {
  /** Records below this level are not made. */
  readonly threshold: number;
  readonly filters: readonly LogFilter[];
  /** Handlers in calling order, only those that can ever emit. */
  readonly slots: readonly HandlerSlot[];
  readonly lastResort: boolean;
  /** Pre-rendered line writers by level number, worked out on first use (null: none). */
  readonly lines: Map<number, JsonLineWriter | null>;
}

const NEVER: Route = { threshold: Infinity, filters: [], slots: [], lastResort: false, lines: new Map() };
const MAX_CACHED_NAMES = 10_000;

export interface RouterInit {
  readonly loggers: ReadonlyMap<string, LoggerNode>;
  readonly root: LoggerNode;
  readonly disabled: readonly string[];
  readonly kept: readonly string[];
  readonly lastResort: (record: HandlerRecord) => void;
  readonly errorStream: TextStream;
}

function under(name: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => name === p || name.startsWith(`${p}.`));
}

/** A handler can emit when it is active and none of its filters is a constant "no". */
function canEmit(slot: HandlerSlot): boolean {
  return slot.handler.active !== false && !slot.filters.some((f) => constantAnswer(f) === false);
}

export class Router {
  private readonly cache = new Map<string, Route>();
  private readonly failed = new Set<string>();

  constructor(private readonly init: RouterInit) {}

  /** For installSink: would a record at `levelNo` on `name` be handled? */
  readonly gate = (name: string, levelNo: number): boolean => levelNo >= (this.cache.get(name) ?? this.route(name)).threshold;

  /** For installSink: hand a record to its handlers. */
  readonly sink = (record: LogRecord): void => {
    const route = this.cache.get(record.name) ?? this.route(record.name);
    const levelNo = record.levelNo;
    if (levelNo < route.threshold) return;
    if (route.filters.length && !this.allPass(`filter of '${record.name}'`, route.filters, record)) return;
    let prepared: HandlerRecord | undefined;
    // No closures per record: this runs for every access-log line.
    for (const slot of route.slots) {
      if (levelNo < slot.level) continue;
      if (slot.filters.length && !this.allPass(slot.id, slot.filters, record)) continue;
      prepared ??= prepareRecord(record);
      try {
        slot.handler.handle(prepared);
      } catch (err) {
        this.report(slot.id, record.name, err);
      }
    }
    if (route.lastResort && levelNo >= LEVELS.WARNING) {
      prepared ??= prepareRecord(record);
      try {
        this.init.lastResort(prepared);
      } catch (err) {
        this.report('last resort', record.name, err);
      }
    }
  };

  /**
   * For installSink: the writer of pre-rendered JSON lines for records at `levelNo` on `name`,
   * when the record would reach at least one handler, no filter would look at it, and every
   * handler it reaches offers one (log/types.ts JsonLineWriter); undefined otherwise.
   */
  readonly lines = (name: string, levelNo: number): JsonLineWriter | undefined => {
    const route = this.cache.get(name) ?? this.route(name);
    if (levelNo < route.threshold) return undefined;
    let writer = route.lines.get(levelNo);
    if (writer === undefined) {
      writer = this.lineWriter(name, route, levelNo);
      route.lines.set(levelNo, writer);
    }
    return writer ?? undefined;
  };

  private lineWriter(name: string, route: Route, levelNo: number): JsonLineWriter | null {
    if (route.filters.length || route.lastResort) return null;
    const writers: [string, JsonLineWriter][] = [];
    for (const slot of route.slots) {
      if (levelNo < slot.level) continue;
      if (slot.filters.length) return null;
      let writer: JsonLineWriter | undefined;
      try {
        writer = typeof slot.handler.jsonLines === 'function' ? slot.handler.jsonLines(name) : undefined;
      } catch (err) {
        // Said once; the records then go the generic way, which is never worse.
        this.report(slot.id, name, err);
        return null;
      }
      if (typeof writer !== 'function') return null;
      writers.push([slot.id, writer]);
    }
    if (!writers.length) return null;
    return (level, time, fields) => {
      for (const [id, write] of writers) {
        try {
          write(level, time, fields);
        } catch (err) {
          this.report(id, name, err);
        }
      }
    };
  }

  /** Every filter lets the record through; a filter that throws counts as a "no", reported once. */
  private allPass(id: string, filters: readonly LogFilter[], record: LogRecord): boolean {
    for (const filter of filters) {
      try {
        if (!passes(filter, record)) return false;
      } catch (err) {
        this.report(id, record.name, err);
        return false;
      }
    }
    return true;
  }

  /** A handler or filter threw: said once per handler on the error stream, never thrown on. */
  private report(id: string, loggerName: string, err: unknown): void {
    if (this.failed.has(id)) return;
    this.failed.add(id);
    try {
      const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.init.errorStream.write(
        `Reinhardt logging: handler '${id}' failed on a record from '${loggerName}': ${why}. Later failures of this handler are not reported.\n`,
      );
    } catch {
      // Logging must never take the request down with it.
    }
  }

  private route(name: string): Route {
    const route = this.compute(name);
    if (this.cache.size >= MAX_CACHED_NAMES) this.cache.clear();
    this.cache.set(name, route);
    return route;
  }

  private compute(name: string): Route {
    const { loggers, root, disabled, kept } = this.init;
    const isRoot = name === 'root' || name === '';
    if (!isRoot && under(name, disabled) && !under(name, kept)) return NEVER;

    // The chain of configured loggers from this name up to the root.
    const chain: LoggerNode[] = [];
    if (!isRoot) {
      for (let n = name; n; n = n.includes('.') ? n.slice(0, n.lastIndexOf('.')) : '') {
        const node = loggers.get(n);
        if (node) chain.push(node);
      }
    }
    chain.push(root);

    const own = isRoot ? root : loggers.get(name);
    const filters = own?.filters ?? [];
    if (filters.some((f) => constantAnswer(f) === false)) return NEVER;

    // NOTSET (0 or undefined) inherits; a root set to NOTSET lets everything through, as in Python.
    const effective = chain.find((node) => node.level)?.level ?? root.level ?? LEVELS.WARNING;
    const slots: HandlerSlot[] = [];
    let found = 0;
    for (const node of chain) {
      found += node.handlers.length;
      for (const slot of node.handlers) if (canEmit(slot)) slots.push(slot);
      if (!node.propagate) break;
    }
    if (found === 0) return { threshold: Math.max(effective, LEVELS.WARNING), filters, slots, lastResort: true, lines: new Map() };
    if (!slots.length) return NEVER;
    const lowest = Math.min(...slots.map((s) => s.level));
    return { threshold: Math.max(effective, lowest), filters, slots, lastResort: false, lines: new Map() };
  }
}
