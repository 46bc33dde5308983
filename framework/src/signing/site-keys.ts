/**
 * Where a signer's keys come from when the caller names none: SECRET_KEY and
 * SECRET_KEY_FALLBACKS of the active settings, read when the signer is made (not at import), so
 * signing modules can be imported before boot.
 */
import { ImproperlyConfigured } from '../errors.js';
import { getSettings } from '../conf/settings-registry.js';

export interface KeyOptions {
  /** The secret that signs; defaults to SECRET_KEY. An empty string counts as not given, as in Django. */
  key?: string;
  /**
   * Older secrets that still verify (rotation). Defaults to SECRET_KEY_FALLBACKS when `key` is
   * not given, and to none when it is.
   */
  fallbackKeys?: readonly string[];
}

export interface ResolvedKeys {
  key: string;
  fallbackKeys: readonly string[];
}

/**
 * The signing key and its fallbacks.
 *
 * Deliberate difference from Django 4.1+: Django adds SECRET_KEY_FALLBACKS even to a signer
 * given its own key, so `Signer(key='other')` accepts values signed with the site's *old*
 * SECRET_KEY. Here an explicit key brings only the fallbacks passed with it; this also lets a
 * signer with an explicit key work before any settings are loaded.
 */
export function resolveKeys(options: KeyOptions): ResolvedKeys {
  if (options.key) return { key: options.key, fallbackKeys: usable(options.fallbackKeys ?? []) };
  const settings = getSettings();
  if (!settings.SECRET_KEY) throw new ImproperlyConfigured('The SECRET_KEY setting must not be empty.');
  return { key: settings.SECRET_KEY, fallbackKeys: usable(options.fallbackKeys ?? settings.SECRET_KEY_FALLBACKS ?? []) };
}

/**
 * Empty fallback keys are dropped: a signature under an empty secret can be computed by anyone
 * who knows the (public) salt, so accepting one would let any client forge values.
 */
function usable(keys: readonly string[]): readonly string[] {
  return Object.freeze(keys.filter((k) => typeof k === 'string' && k !== ''));
}
