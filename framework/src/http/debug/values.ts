/**
 * Turning arbitrary values into text without ever throwing. The debug page shows whatever a
 * site threw or configured: proxies, objects with throwing getters or toString, circular
 * structures, class instances. util.inspect copes with nearly all of it without running user
 * code (no custom inspectors, no getters, proxies inspected through their target); what is left
 * is caught here and becomes a short note.
 */
import { inspect } from 'node:util';

/** Django trims large values at 4096 characters; same idea, a little roomier. */
const MAX_VALUE_LENGTH = 8192;

export function trimText(text: string, max = MAX_VALUE_LENGTH): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… <trimmed ${text.length - max} characters>`;
}

/** A short description of something that went wrong, itself safe to compute. */
export function describeFailure(err: unknown): string {
  try {
    if (err instanceof Error) return `${err.name}: ${err.message}`;
    return `thrown value ${inspect(err, { depth: 0, customInspect: false, breakLength: Infinity })}`;
  } catch {
    return 'an error that cannot be described';
  }
}

/** Values shown as readable, JSON-like text (settings values, thrown non-errors). */
export function showValue(value: unknown): string {
  try {
    if (typeof value === 'string') return trimText(JSON.stringify(value));
    return trimText(
      inspect(value, {
        depth: 5,
        breakLength: 100,
        compact: 3,
        maxArrayLength: 200,
        maxStringLength: 2000,
        customInspect: false,
        getters: false,
        showProxy: false,
        sorted: false,
      }),
    );
  } catch (err) {
    return `<value that cannot be shown: ${describeFailure(err)}>`;
  }
}

/** Read a property, answering undefined if the getter throws. */
export function readSafely(target: object, key: PropertyKey): unknown {
  try {
    return (target as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** Run `fn`; on failure answer `fallback(err)` instead. */
export function attempt<T>(fn: () => T, fallback: (err: unknown) => T): T {
  try {
    return fn();
  } catch (err) {
    return fallback(err);
  }
}
