/**
 * A cookie a response queues is checked when it is queued, so that a bad one fails in the code
 * that set it (a view's error, the site's 500 page) rather than later, while the response is being
 * written, where the failure would escape the site's error pages. The rules are RFC 6265's, at
 * least as strict as the serializer the cookies go through (@fastify/cookie): the name is a token
 * or ':' (Python's legal cookie key characters, as Django), the domain a host name, the path has
 * no control character, ';' or '<', Max-Age is a number of seconds, Expires a date from 1601 to 9999,
 * SameSite Lax, Strict or None (any case, as Django) or false.
 */
import type { CookieOptions } from './response.js';

const NAME = /^[!#$%&'*+\-.^_`|~:0-9A-Za-z]+$/;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = new RegExp(`^\\.?${LABEL}(?:\\.${LABEL})*$`);
const PATH = /^[\x20-\x3a\x3d-\x7e]*$/;
const SAME_SITE = new Set(['lax', 'strict', 'none']);

/** The years a cookie date can carry (RFC 6265's grammar has four digits; the serializer also wants 1601 or later). */
function isCookieYear(year: number): boolean {
  return year >= 1601 && year <= 9999;
}

function refused(name: string, what: string): TypeError {
  return new TypeError(`Cookie ${JSON.stringify(name)}: ${what}`);
}

/** The options to send, checked: throws a TypeError naming the cookie and the attribute. */
export function checkedCookieOptions(name: string, options: CookieOptions): CookieOptions {
  if (typeof name !== 'string' || !NAME.test(name)) throw refused(String(name), 'the name may only have letters, digits and !#$%&\'*+-.^_`|~:.');
  const { domain, path, maxAge, expires, sameSite } = options;
  if (domain !== undefined && (typeof domain !== 'string' || !DOMAIN.test(domain))) throw refused(name, `domain ${JSON.stringify(domain)} is not a host name.`);
  if (path !== undefined && (typeof path !== 'string' || !PATH.test(path))) throw refused(name, `path ${JSON.stringify(path)} has a control character, ';' or '<'.`);
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isSafeInteger(Math.trunc(maxAge)))) {
    throw refused(name, `maxAge must be a number of seconds (got ${String(maxAge)}).`);
  }
  if (expires !== undefined && !(expires instanceof Date && isCookieYear(expires.getUTCFullYear()))) throw refused(name, 'expires must be a valid Date from 1601 to 9999.');
  if (sameSite !== undefined && sameSite !== false && !(typeof sameSite === 'string' && SAME_SITE.has(sameSite.toLowerCase()))) {
    throw refused(name, `sameSite must be 'Lax', 'Strict', 'None' or false (got ${JSON.stringify(sameSite)}).`);
  }
  // Whole seconds, as Django's int(max_age).
  return maxAge === undefined || Number.isInteger(maxAge) ? options : { ...options, maxAge: Math.trunc(maxAge) };
}
