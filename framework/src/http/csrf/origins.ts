/**
 * Where an unsafe request may come from (Django's CsrfViewMiddleware origin and referer checks).
 *
 * - An Origin header must be this site's own origin (scheme://host as the request reached us) or
 *   one of CSRF_TRUSTED_ORIGINS ('https://*.example.com' trusts every subdomain over https).
 * - Without Origin, an HTTPS request must carry a Referer that is HTTPS and names this host, the
 *   cookie's domain, or a trusted origin's host. Over HTTPS the token alone is not enough: a
 *   man-in-the-middle on plain HTTP can plant a cookie and post a matching token, so the
 *   browser's word on where the form came from is required too.
 */
import type { LoadedSettings } from '../../conf/settings-types.js';
import { isSameDomain } from '../hosts.js';
import type { HttpRequest } from '../request.js';
import { REASON_BAD_REFERER, REASON_INSECURE_REFERER, REASON_MALFORMED_REFERER, REASON_NO_REFERER } from './reasons.js';

/** scheme and netloc (host[:port]) of an absolute URL, like Python's urlparse; undefined if it has none. */
export function splitOrigin(url: string): { scheme: string; netloc: string } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/.exec(url);
  if (!m) return undefined;
  return { scheme: m[1]!.toLowerCase(), netloc: m[2]! };
}

export interface TrustedOrigins {
  /** Origins trusted exactly ('https://shop.example.com'). */
  readonly exact: ReadonlySet<string>;
  /** scheme -> '.example.com' patterns, from wildcard entries ('https://*.example.com'). */
  readonly subdomains: ReadonlyMap<string, readonly string[]>;
  /** Every trusted netloc ('.example.com' for wildcards), for Referer checks (any scheme). */
  readonly hosts: readonly string[];
}

/** CSRF_TRUSTED_ORIGINS compiled once, at boot. */
export function compileTrustedOrigins(origins: readonly string[]): TrustedOrigins {
  const exact = new Set<string>();
  const subdomains = new Map<string, string[]>();
  const hosts: string[] = [];
  for (const origin of origins) {
    const parts = splitOrigin(origin);
    if (!parts) continue; // validation refuses these before boot
    const host = parts.netloc.replace(/^\*+/, '');
    hosts.push(host);
    if (origin.includes('*')) {
      const list = subdomains.get(parts.scheme) ?? [];
      list.push(host);
      subdomains.set(parts.scheme, list);
    } else {
      exact.add(origin);
    }
  }
  return { exact, subdomains, hosts };
}

/** Is the request's Origin header this site or a trusted origin? */
export function originVerified(request: HttpRequest, origin: string, trusted: TrustedOrigins): boolean {
  if (origin === `${request.scheme}://${request.getHost()}`) return true;
  if (trusted.exact.has(origin)) return true;
  const parts = splitOrigin(origin);
  if (!parts) return false;
  return (trusted.subdomains.get(parts.scheme) ?? []).some((pattern) => isSameDomain(parts.netloc, pattern));
}

/** Why an HTTPS request's Referer is refused, or undefined when it is good. */
export function refererProblem(
  request: HttpRequest,
  trusted: TrustedOrigins,
  settings: Pick<LoadedSettings, 'CSRF_USE_SESSIONS' | 'SESSION_COOKIE_DOMAIN' | 'CSRF_COOKIE_DOMAIN'>,
): string | undefined {
  const referer = request.header('referer');
  if (referer === undefined) return REASON_NO_REFERER;
  const parts = splitOrigin(referer);
  if (!parts || parts.netloc === '') return REASON_MALFORMED_REFERER;
  if (parts.scheme !== 'https') return REASON_INSECURE_REFERER;
  if (trusted.hosts.some((host) => isSameDomain(parts.netloc, host))) return undefined;
  // The cookie's domain when one is set (a form on www. posting to api.), else this exact host.
  const cookieDomain = settings.CSRF_USE_SESSIONS ? settings.SESSION_COOKIE_DOMAIN : settings.CSRF_COOKIE_DOMAIN;
  let good: string;
  if (cookieDomain) {
    const port = request.getPort();
    good = port === '443' || port === '80' || port === '' ? cookieDomain : `${cookieDomain}:${port}`;
  } else {
    good = request.getHost();
  }
  return isSameDomain(parts.netloc, good) ? undefined : REASON_BAD_REFERER(referer);
}
