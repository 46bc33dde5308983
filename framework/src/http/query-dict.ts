import { TooManyFieldsSent } from '../errors.js';

/** A bound on the fields a QueryDict takes (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS). */
export interface FieldLimit {
  /** At most this many fields (DATA_UPLOAD_MAX_NUMBER_FIELDS); null or undefined: no limit. */
  readonly maxFields?: number | null;
  /** What the fields come from, for the error: 'The query string', 'The form body'. */
  readonly source?: string;
}

/**
 * How many fields a query string holds, counting up to `max + 1` only. As Django counts: every
 * piece between '&'s, empty ones too, since the limit is there to bound the work of parsing.
 */
export function countFields(query: string, max: number): number {
  let count = 1;
  for (let i = query.indexOf('&'); i !== -1 && count <= max; i = query.indexOf('&', i + 1)) count++;
  return count;
}

function countValues(init: Readonly<Record<string, unknown>>): number {
  let count = 0;
  for (const v of Object.values(init)) count += Array.isArray(v) ? v.length : 1;
  return count;
}

/**
 * Django's QueryDict: a read-only multi-valued mapping for query strings and form bodies.
 * `get()` answers the last value like Django; `getAll()` every value. Keys such as '__proto__'
 * are data: storage is a Map.
 */
export class QueryDict implements Iterable<[string, string]> {
  private readonly map = new Map<string, string[]>();

  /** Throws TooManyFieldsSent when `init` holds more fields than `limit.maxFields`. */
  constructor(init?: string | URLSearchParams | Readonly<Record<string, unknown>> | null, limit?: FieldLimit) {
    if (init === undefined || init === null || init === '') return;
    const max = limit?.maxFields;
    if (typeof max === 'number' && !(init instanceof URLSearchParams)) {
      const count = typeof init === 'string' ? countFields(init, max) : countValues(init);
      if (count > max) {
        throw new TooManyFieldsSent(`${limit?.source ?? 'The data'} has more than DATA_UPLOAD_MAX_NUMBER_FIELDS (${max}) fields.`);
      }
    }
    if (typeof init === 'string' || init instanceof URLSearchParams) {
      const params = typeof init === 'string' ? new URLSearchParams(init) : init;
      for (const [k, v] of params) this.append(k, v);
      return;
    }
    for (const [k, v] of Object.entries(init)) {
      if (Array.isArray(v)) for (const item of v) this.append(k, String(item));
      else if (v !== undefined && v !== null) this.append(k, String(v));
    }
  }

  private append(key: string, value: string): void {
    const list = this.map.get(key);
    if (list) list.push(value);
    else this.map.set(key, [value]);
  }

  get(key: string): string | undefined;
  get(key: string, fallback: string): string;
  get(key: string, fallback?: string): string | undefined {
    const list = this.map.get(key);
    return list ? list[list.length - 1] : fallback;
  }

  getAll(key: string): string[] {
    return [...(this.map.get(key) ?? [])];
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  get size(): number {
    return this.map.size;
  }

  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [k, list] of this.map) for (const v of list) yield [k, v];
  }

  /** Last value of each key, as a plain null-prototype object. */
  toObject(): Record<string, string> {
    const out = Object.create(null) as Record<string, string>;
    for (const [k, list] of this.map) out[k] = list[list.length - 1] as string;
    return out;
  }

  toString(): string {
    const p = new URLSearchParams();
    for (const [k, v] of this) p.append(k, v);
    return p.toString();
  }
}
