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

/** What the built-ins' regexes are (a built-in whose regex was changed is checked by its regex). */
const BUILT_IN_REGEX: ReadonlyMap<Converter, string> = new Map<Converter, string>(
  [int as Converter, slug, str, pathConv].map((c) => [c, c.regex]),
);

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

/** Whether a text is what a route parameter accepts (a RegExp is one). */
export interface TextCheck {
  test(text: string): boolean;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * The built-in converters' regexes as loops, which answer the same for less: a regex call costs
 * about 600 instructions before it reads a character (scripts/bench/instructions.sh), and
 * reverse() checks every value it puts in a URL (28 links on the menu page). Each loop is written
 * out: one shared loop taking the character test as a function measured about 1,000 instructions
 * more on the menu page.
 */
const LOOP_CHECKS: ReadonlyMap<Converter, TextCheck> = new Map<Converter, TextCheck>([
  [
    int as Converter,
    {
      test(text) {
        if (text.length === 0) return false;
        for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
        return true;
      },
    },
  ],
  [
    slug,
    {
      test(text) {
        if (text.length === 0) return false;
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (!(isDigit(c) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2d || c === 0x5f)) return false;
        }
        return true;
      },
    },
  ],
  [str, { test: (text) => text.length > 0 && !text.includes('/') }],
  [
    pathConv,
    {
      // '.' is any character but a line terminator.
      test(text) {
        if (text.length === 0) return false;
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return false;
        }
        return true;
      },
    },
  ],
]);

/** The check of a route parameter's text: the converter's regex, whole, or the same as a loop. */
export function textCheck(converter: Converter): TextCheck {
  const loop = LOOP_CHECKS.get(converter);
  return loop && converter.regex === BUILT_IN_REGEX.get(converter) ? loop : new RegExp(`^(?:${converter.regex})$`);
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
