/**
 * A record made safe to write, once, by the first handler that emits it:
 * - secret names masked (conf/mask.ts cleanse: API|TOKEN|KEY|SECRET|PASS|SIGNATURE|COOKIE, plus
 *   Authorization, session ids and DSNs) and secret values redacted (redactSecrets: SECRET_KEY and friends, wherever they appear);
 * - errors, dates, buffers, class instances and cycles turned into plain data a JSON line can
 *   hold, so a handler never throws on a strange field;
 * - a field can never overwrite the record's own level, time, msg or name: such keys are renamed
 *   `extra_<key>`;
 * - the request a framework record carries is kept aside for the handlers that read it (error
 *   mail) and never written as a field.
 */
import { cleanse, MASK, redactSecrets, SENSITIVE_NAME } from '../conf/mask.js';
import { mapStack } from '../utils/source-maps.js';
import type { LogRecord } from './logger.js';
import type { ErrorInfo, HandlerRecord } from './types.js';

/** Keys of a written entry that only the record itself may set. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'err']);

/**
 * Names that hold credentials without looking like KEY/TOKEN/SECRET/PASS (conf/mask.ts's rule):
 * an Authorization header, a session id, a database URL. Masked at any depth.
 */
const CREDENTIAL_NAME = /^(authorization|proxy-authorization|sessionid|credentials|dsn)$/i;

const MAX_DEPTH = 8;
const MAX_ITEMS = 200;

function safeString(fn: () => unknown): string {
  try {
    return String(fn());
  } catch {
    return '<unprintable>';
  }
}

/** Plain data for any value (no throws, no cycles, bounded depth), secret values redacted. */
function toPlain(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case 'string':
      return redactSecrets(value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`;
  }
  if (value === null) return null;
  const obj = value as object;
  if (obj instanceof Error) {
    const info = errorInfo(obj);
    return { type: info?.type, message: info?.message };
  }
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (obj instanceof RegExp) return obj.toString();
  if (ArrayBuffer.isView(obj)) return `<${obj.constructor.name} of ${obj.byteLength} bytes>`;
  if (depth >= MAX_DEPTH) return '[Object]';
  if (seen.has(obj)) return '<circular>';
  seen.add(obj);
  try {
    if (Array.isArray(obj) || obj instanceof Set) {
      const items = [...(obj as Iterable<unknown>)];
      const out = items.slice(0, MAX_ITEMS).map((v) => toPlain(v, depth + 1, seen));
      if (items.length > MAX_ITEMS) out.push(`... ${items.length - MAX_ITEMS} more`);
      return out;
    }
    const entries = obj instanceof Map ? [...obj.entries()].map(([k, v]) => [safeString(() => k), v] as const) : safeEntries(obj);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries.slice(0, MAX_ITEMS)) {
      const value = CREDENTIAL_NAME.test(k) && v !== undefined && v !== null && v !== '' ? MASK : toPlain(v, depth + 1, seen);
      Object.defineProperty(out, redactSecrets(k), { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

function safeEntries(obj: object): (readonly [string, unknown])[] {
  const json = (obj as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') {
    try {
      const v: unknown = json.call(obj);
      if (v !== obj) return [['value', v]];
    } catch {
      return [['value', '<unprintable>']];
    }
  }
  const out: (readonly [string, unknown])[] = [];
  for (const key of Object.keys(obj)) {
    try {
      out.push([key, (obj as Record<string, unknown>)[key]]);
    } catch {
      out.push([key, '<unreadable>']);
    }
  }
  return out;
}

/** The error of a record as plain, redacted data; undefined when there is none. */
export function errorInfo(err: unknown): ErrorInfo | undefined {
  if (err === undefined || err === null) return undefined;
  if (err instanceof Error) {
    const type = safeString(() => err.name || err.constructor.name || 'Error');
    const message = redactSecrets(safeString(() => err.message));
    let stack: string | undefined;
    try {
      stack = typeof err.stack === 'string' ? redactSecrets(mapStack(err.stack)) : undefined;
    } catch {
      stack = undefined;
    }
    return { type, message, stack };
  }
  const type = typeof err === 'object' ? safeString(() => (err as object).constructor?.name ?? 'Object') : typeof err;
  return { type, message: redactSecrets(safeString(() => (typeof err === 'object' ? JSON.stringify(err) : err))), stack: undefined };
}

/**
 * What a top-level field name is: written under another name (reserved), masked (a secret or
 * credential name), or plain. Field names come from code and repeat on every record (an access
 * log line has the same four), so the answer is worked out once per name.
 */
interface KeyInfo {
  readonly name: string;
  readonly masked: boolean;
}
const keyInfos = new Map<string, KeyInfo>();
const MAX_KEY_INFOS = 1000;

function keyInfo(key: string): KeyInfo {
  let info = keyInfos.get(key);
  if (!info) {
    info = { name: RESERVED_KEYS.has(key) ? `extra_${key}` : key, masked: SENSITIVE_NAME.test(key) || CREDENTIAL_NAME.test(key) };
    if (keyInfos.size >= MAX_KEY_INFOS) keyInfos.clear();
    keyInfos.set(key, info);
  }
  return info;
}

/** The caller's fields, safe to write (see the file comment). */
export function safeFields(extra: Readonly<Record<string, unknown>>): { fields: Record<string, unknown>; request: unknown } {
  const fields: Record<string, unknown> = {};
  let request: unknown;
  for (const key of Object.keys(extra)) {
    const value = extra[key];
    if (key === 'request') {
      request = value;
      continue;
    }
    if (key === 'err') continue; // the record's own error, written as `err` by the handlers
    const info = keyInfo(key);
    if (info.masked && value !== undefined && value !== null && value !== '') {
      fields[info.name] = MASK;
    } else if (typeof value === 'string') {
      // The common case (paths, methods, names): only secret values to look for.
      fields[info.name] = redactSecrets(value);
    } else if (value === null || typeof value !== 'object') {
      fields[info.name] = toPlain(value, 0, EMPTY_SEEN);
    } else {
      fields[info.name] = cleanse(key, toPlain(value, 0, new WeakSet()));
    }
  }
  return { fields, request };
}

/** For primitives, which never reach the cycle check. */
const EMPTY_SEEN = new WeakSet<object>();

export function prepareRecord(record: LogRecord): HandlerRecord {
  const { fields, request } = safeFields(record.extra);
  return {
    name: record.name,
    level: record.level,
    levelNo: record.levelNo,
    msg: redactSecrets(record.msg),
    time: record.time,
    extra: record.extra,
    err: record.err,
    fields,
    errInfo: errorInfo(record.err),
    request,
  };
}
