/**
 * Session values are JSON data, because that is what a session can keep: it is serialised to
 * JSON for the cookie (or the store) and read back with JSON.parse. A Date, a Map or a class
 * instance would come back as something else (a string, `{}`), so they are refused when stored,
 * naming the key, rather than changing shape silently on the next request.
 */
import { isPlainObject } from '../../conf/setting-rules.js';

/** What a session stores: JSON values. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

function kindOf(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'bigint') return 'a BigInt';
  if (typeof value === 'number') return `the number ${String(value)}`;
  const name = (value as object).constructor?.name;
  return name ? `a ${name}` : 'an object with a custom prototype';
}

const HINTS: Readonly<Record<string, string>> = {
  'a Date': ' Store date.toISOString() (or date.getTime()) instead.',
  'a Map': ' Store Object.fromEntries(map) instead.',
  'a Set': ' Store [...set] instead.',
};

/** Why `value` is not JSON data (undefined when it is), naming where in it the problem is. */
function problem(value: unknown, where: string, seen: Set<object>): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${where} is ${kindOf(value)}, which JSON cannot hold.`;
  if (typeof value !== 'object') return `${where} is ${kindOf(value)}.`;
  if (seen.has(value)) return `${where} refers back to itself.`;
  if (Array.isArray(value)) {
    seen.add(value);
    for (let i = 0; i < value.length; i++) {
      const p = problem(value[i], `${where}[${i}]`, seen);
      if (p) return p;
    }
    seen.delete(value);
    return undefined;
  }
  if (!isPlainObject(value)) {
    const kind = kindOf(value);
    return `${where} is ${kind}.${HINTS[kind] ?? ''}`;
  }
  seen.add(value);
  for (const [k, v] of Object.entries(value)) {
    const p = problem(v, `${where}[${JSON.stringify(k)}]`, seen);
    if (p) return p;
  }
  seen.delete(value);
  return undefined;
}

/** Throws a TypeError naming the key when `value` is not JSON data. */
export function assertJsonData(key: string, value: unknown): asserts value is JsonValue {
  const p = problem(value, `session[${JSON.stringify(key)}]`, new Set());
  if (p) {
    throw new TypeError(`Session values must be JSON data (strings, numbers, booleans, null, arrays and plain objects): ${p}`);
  }
}
