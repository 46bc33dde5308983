/**
 * Settings that choose a component (STATICFILES_FINDERS entries, STATICFILES_STORAGE) take a short
 * registered name — so INI files and environment variables can choose them — or a reference to an
 * imported implementation: an object used as is, a class instantiated with the settings, or a
 * factory function called with them. An unknown name fails loudly and lists the known ones.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import { ImproperlyConfigured } from '../errors.js';

export type Factory<T> = (settings: LoadedSettings) => T;

function isClass(fn: object): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/**
 * Turn one setting value into an implementation. `check` says what is missing from an object that
 * does not fit (or returns undefined when it fits).
 */
export function resolveComponent<T>(
  setting: string,
  ref: unknown,
  builtins: Readonly<Record<string, Factory<T>>>,
  settings: LoadedSettings,
  check: (value: unknown) => string | undefined,
): T {
  let value: unknown = ref;
  if (typeof ref === 'string') {
    const make = Object.hasOwn(builtins, ref) ? builtins[ref] : undefined;
    if (!make) {
      const known = Object.keys(builtins).map((k) => `'${k}'`).join(', ');
      throw new ImproperlyConfigured(
        `${setting}: '${ref}' is not a known name. Known names: ${known}; or pass an imported implementation instead of a string.`,
        { code: 'RH_ERR_UNKNOWN_COMPONENT' },
      );
    }
    return make(settings);
  }
  if (typeof ref === 'function') {
    value = isClass(ref) ? new (ref as new (s: LoadedSettings) => unknown)(settings) : (ref as Factory<unknown>)(settings);
  }
  const problem = check(value);
  if (problem) {
    throw new ImproperlyConfigured(`${setting}: the implementation given ${problem}.`, { code: 'RH_ERR_UNKNOWN_COMPONENT' });
  }
  return value as T;
}

export function hasMethods(value: unknown, ...names: string[]): string | undefined {
  if (value === null || typeof value !== 'object') return 'is not an object';
  const missing = names.filter((n) => typeof (value as Record<string, unknown>)[n] !== 'function');
  return missing.length ? `has no ${missing.map((m) => `${m}()`).join(' or ')} method` : undefined;
}
