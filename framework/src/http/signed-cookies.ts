/**
 * Signed cookies on requests and responses, in Django's format (signing/cookies.ts), keyed with
 * the site's SECRET_KEY; SECRET_KEY_FALLBACKS still verify, so rotating the key logs nobody out.
 *
 * A cookie is client input: whatever its value (missing, truncated, tampered with, signed for
 * another cookie, expired), reading it never throws unless the caller asks with `strict`.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import { BadSignature } from '../errors.js';
import { signCookie, unsignCookie } from '../signing/cookies.js';

export interface GetSignedCookieOptions<D> {
  /** The salt it was set with ('' by default); the cookie's name is always part of the salt. */
  salt?: string;
  /** Refuse values signed more than this many seconds ago. */
  maxAge?: number;
  /** What a missing or invalid cookie answers (undefined by default). */
  default?: D;
  /** Throw BadSignature / SignatureExpired for an invalid value instead of answering `default`. */
  strict?: boolean;
}

/** The site's signing keys, as the signing functions take them. */
export function siteKeys(settings: LoadedSettings): { key: string; fallbackKeys: readonly string[] } {
  return { key: settings.SECRET_KEY, fallbackKeys: settings.SECRET_KEY_FALLBACKS };
}

export function readSignedCookie<D>(
  settings: LoadedSettings,
  name: string,
  cookieValue: string | undefined,
  options: GetSignedCookieOptions<D>,
): string | D | undefined {
  if (cookieValue === undefined) return options.default;
  try {
    return unsignCookie(name, cookieValue, { ...siteKeys(settings), salt: options.salt ?? '', maxAge: options.maxAge });
  } catch (err) {
    if (options.strict || !(err instanceof BadSignature)) throw err;
    return options.default;
  }
}

/** The Set-Cookie value for a signed cookie, signed now with SECRET_KEY. */
export function signedCookieValue(settings: LoadedSettings, name: string, value: string, salt: string): string {
  return signCookie(name, value, { ...siteKeys(settings), salt });
}
