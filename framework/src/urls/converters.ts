/**
 * Path converters, like Django's: each has the regex a URL segment must match, a function that
 * turns the matched text into the value the view receives, and one that turns a value back into
 * URL text for reverse().
 */
import { ImproperlyConfigured } from '../errors.js';

export interface Converter<T = unknown> {
  /** Regex source (no anchors) the raw path text must match. */
  readonly regex: string;
  toValue(text: string): T;
  toUrl(value: T): string;
}

const str: Converter<string> = { regex: '[^/]+', toValue: (s) => s, toUrl: (v) => String(v) };
const int: Converter<number> = {
  regex: '[0-9]+',
  // Python's int has no upper bound; a JavaScript number past 2^53 would be some other number
  // than the URL's, so such a value does not match (a 404), rather than reaching the view wrong.
  toValue: (s) => {
    const n = Number.parseInt(s, 10);
    if (!Number.isSafeInteger(n)) throw new RangeError(`${s} is too large for an int parameter`);
    return n;
  },
  toUrl: (v) => {
    if (!Number.isSafeInteger(v) || v < 0) throw new TypeError(`${String(v)} is not a non-negative integer`);
    return String(v);
  },
};
const slug: Converter<string> = { regex: '[-a-zA-Z0-9_]+', toValue: (s) => s, toUrl: (v) => String(v) };
const uuid: Converter<string> = {
  regex: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  toValue: (s) => s,
  toUrl: (v) => String(v),
};
const pathConv: Converter<string> = { regex: '.+', toValue: (s) => s, toUrl: (v) => String(v) };

const registry = new Map<string, Converter>([
  ['str', str as Converter],
  ['int', int as Converter],
  ['slug', slug as Converter],
  ['uuid', uuid as Converter],
  ['path', pathConv as Converter],
]);

/**
 * Built-in converters whose accepted text (digits, letters, '-', '_') never needs percent-encoding
 * in a URL path, so reverse() can skip encoding it. A site's own converters are always encoded.
 */
const URL_SAFE: ReadonlySet<Converter> = new Set<Converter>([int as Converter, slug, uuid]);

export function producesUrlSafeText(converter: Converter): boolean {
  return URL_SAFE.has(converter);
}

/** Add a converter usable as `<name:param>` in routes registered after this call. */
export function registerConverter<T>(name: string, converter: Converter<T>): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ImproperlyConfigured(`Converter name '${name}' is not an identifier.`);
  if (registry.has(name)) throw new ImproperlyConfigured(`Converter '${name}' is already registered.`);
  registry.set(name, converter as Converter);
}

export function getConverter(name: string, route: string): Converter {
  const c = registry.get(name);
  if (!c) {
    throw new ImproperlyConfigured(
      `URL route '${route}' uses invalid converter '${name}'. Known converters: ${[...registry.keys()].join(', ')}.`,
      { code: 'RH_ERR_URL_PATTERN' },
    );
  }
  return c;
}
