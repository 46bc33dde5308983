/**
 * Django's QueryDict: a read-only multi-valued mapping for query strings and form bodies.
 * `get()` answers the last value like Django; `getAll()` every value. Keys such as '__proto__'
 * are data: storage is a Map.
 */
export class QueryDict implements Iterable<[string, string]> {
  private readonly map = new Map<string, string[]>();

  constructor(init?: string | URLSearchParams | Readonly<Record<string, unknown>> | null) {
    if (init === undefined || init === null || init === '') return;
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
