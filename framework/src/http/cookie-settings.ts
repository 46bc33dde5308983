/**
 * The attributes of the framework's own cookies, from their settings: SESSION_COOKIE_* for the
 * session, CSRF_COOKIE_* for the CSRF secret. Read once at boot.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import type { CookieOptions } from './response.js';

export type CookieAttributes = Pick<CookieOptions, 'domain' | 'path' | 'secure' | 'httpOnly' | 'sameSite'>;

export function cookieAttributes(settings: LoadedSettings, prefix: 'SESSION' | 'CSRF'): CookieAttributes {
  return {
    domain: settings[`${prefix}_COOKIE_DOMAIN`] ?? undefined,
    path: settings[`${prefix}_COOKIE_PATH`],
    // Left out rather than false, as Django writes them.
    secure: settings[`${prefix}_COOKIE_SECURE`] || undefined,
    httpOnly: settings[`${prefix}_COOKIE_HTTPONLY`] || undefined,
    sameSite: settings[`${prefix}_COOKIE_SAMESITE`],
  };
}

/** Max-Age and, for older clients, Expires for a cookie that lasts `maxAge` seconds (undefined: until the browser closes). */
export function lifetime(maxAge: number | undefined): Pick<CookieOptions, 'maxAge' | 'expires'> {
  return maxAge === undefined ? {} : { maxAge, expires: new Date(Date.now() + maxAge * 1000) };
}
