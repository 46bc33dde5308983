/**
 * Signed cookie values as Django writes and reads them (HttpResponse.set_signed_cookie,
 * HttpRequest.get_signed_cookie): a TimestampSigner whose key is 'django.http.cookies' followed
 * by the secret, and whose salt is the cookie's name followed by the caller's salt. Binding the
 * name into the salt stops a value signed for one cookie from being replayed in another.
 *
 * These functions give the cookie *value*; writing it into a Set-Cookie header is the HTTP
 * layer's job (http/signed-cookies.ts). A value made only of cookie-safe characters (the base64
 * alphabet, ':' and '.', which is all a session or a token ever holds) is written as it is, and
 * Django reads it. A value with a space, ';' or non-ASCII text is percent-encoded by
 * @fastify/cookie and read back by Reinhardt, but Django (which quotes instead) would not read it.
 */
import type { KeyOptions } from './site-keys.js';
import { resolveKeys } from './site-keys.js';
import { TimestampSigner, type MaxAgeOptions } from './timestamp-signer.js';

/** Prefix of the cookie signing key: keeps cookie signatures apart from every other use of SECRET_KEY. */
const COOKIE_KEY_PREFIX = 'django.http.cookies';

export interface CookieSignerOptions extends KeyOptions {
  /** The cookie signer's salt; Django's default is 'django.core.signing.get_cookie_signer'. */
  salt?: string;
  /** The clock, in milliseconds since the epoch (Date.now by default); for tests. */
  now?: () => number;
}

export interface SignCookieOptions extends KeyOptions {
  /** Added after the cookie name to make the salt; '' by default. */
  salt?: string;
  now?: () => number;
}

export interface UnsignCookieOptions extends SignCookieOptions, MaxAgeOptions {}

/**
 * Django's get_cookie_signer: a TimestampSigner keyed with 'django.http.cookies' + SECRET_KEY
 * (and each fallback key prefixed the same way). `key` and `fallbackKeys`, when given, are the
 * raw secrets; the prefix is added here.
 */
export function getCookieSigner(options: CookieSignerOptions = {}): TimestampSigner {
  const { key, fallbackKeys } = resolveKeys(options);
  return new TimestampSigner({
    key: COOKIE_KEY_PREFIX + key,
    fallbackKeys: fallbackKeys.map((k) => COOKIE_KEY_PREFIX + k),
    salt: options.salt ?? 'django.core.signing.get_cookie_signer',
    now: options.now,
  });
}

/** The value to store in cookie `name`, as set_signed_cookie(name, value, salt=salt) stores it. */
export function signCookie(name: string, value: string, options: SignCookieOptions = {}): string {
  return getCookieSigner({ ...options, salt: name + (options.salt ?? '') }).sign(value);
}

/**
 * The value of signed cookie `name`, as get_signed_cookie reads it: BadSignature when tampered
 * with or signed for another cookie or salt, SignatureExpired when older than `maxAge` seconds.
 * Callers treat both as an absent cookie.
 */
export function unsignCookie(name: string, cookieValue: string, options: UnsignCookieOptions = {}): string {
  return getCookieSigner({ ...options, salt: name + (options.salt ?? '') }).unsign(cookieValue, { maxAge: options.maxAge });
}
