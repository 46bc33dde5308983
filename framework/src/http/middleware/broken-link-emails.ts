/**
 * 'broken-link-emails': Django's BrokenLinkEmailsMiddleware. With DEBUG off, a 404 that a page
 * linked to (the Referer is set) mails MANAGERS, unless the request is ignorable by Django's
 * rules (is_ignorable_request, kept exactly):
 *   1. no Referer;
 *   2. APPEND_SLASH, the URL ends with '/' and the Referer is the URL without it (the redirect
 *      CommonMiddleware made);
 *   3. a Referer from another site that has a '?' (a search engine result);
 *   4. a Referer equal to the URL itself, scheme ignored (a badly written bot);
 *   5. a URL that matches a pattern in IGNORABLE_404_URLS (strings are regular expressions,
 *      searched anywhere in the path and query).
 * Subject "Broken INTERNAL link on <host>" when the Referer is on this host (same scheme-less
 * host and port, subdomains count as other sites), else "Broken link on <host>"; mailManagers
 * adds EMAIL_SUBJECT_PREFIX.
 *
 * Unlike Django, the mail leaves after the response (log/deferred-mail.ts): a slow mail server
 * never delays the 404 page and a dead one never turns it into a 500; a failure is logged on
 * 'reinhardt.mail'. And a Referer that Python's urlparse would refuse (a broken IPv6 literal),
 * which makes Django answer 500, is simply ignored.
 *
 * Put it first in MIDDLEWARE, as in Django, so that it sees the final response (after 'common'
 * has turned a 404 into an APPEND_SLASH redirect).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { LoadedSettings } from '../../conf/settings-types.js';
import { ImproperlyConfigured } from '../../errors.js';
import { deferMail } from '../../log/deferred-mail.js';
import { getLogger } from '../../log/logger.js';
import { mailManagers } from '../../mail/send.js';
import type { Middleware, MiddlewareContext } from '../middleware.js';
import type { HttpRequest } from '../request.js';
import type { HttpResponse } from '../response.js';

// ---------------------------------------------------------------------------------------------
// Python's urllib.parse.urlparse, as far as the rules need it (netloc and path), including the
// cases where it raises ValueError.

// eslint-disable-next-line no-control-regex
const C0_OR_SPACE = /^[\x00-\x20]+/;
const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;
const USES_PARAMS = new Set(['', 'ftp', 'hdl', 'prospero', 'http', 'imap', 'https', 'shttp', 'rtsp', 'rtspu', 'sip', 'sips', 'mms', 'sftp', 'tel']);

export interface ParsedReferer {
  readonly scheme: string;
  readonly netloc: string;
  readonly path: string;
}

class UrlValueError extends Error {}

function checkNetloc(netloc: string): void {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(netloc)) return;
  const n = netloc.replace(/[@:#?]/g, '');
  const normalized = n.normalize('NFKC');
  if (n === normalized) return;
  for (const c of '/?#@:') if (normalized.includes(c)) throw new UrlValueError(`netloc ${netloc} contains invalid characters under NFKC normalization`);
}

function checkBracketedHost(host: string): void {
  if (host.startsWith('v')) {
    // Python's `.` matches anything but '\n' (already removed from the URL).
    if (!/^v[a-fA-F0-9]+\.[^\n]+$/.test(host)) throw new UrlValueError('IPvFuture address is invalid');
  } else if (!isIPv6(host) || isIPv4(host)) {
    throw new UrlValueError(`'${host}' is not an IPv6 address`);
  }
}

function checkBracketedNetloc(netloc: string): void {
  const hostAndPort = netloc.slice(netloc.lastIndexOf('@') + 1);
  const open = hostAndPort.indexOf('[');
  if (open === -1) {
    // Brackets only in the user part: Python still checks the host as a bracketed one.
    checkBracketedHost(hostAndPort.split(':')[0]!);
    return;
  }
  if (open > 0) throw new UrlValueError('Invalid IPv6 URL');
  const bracketed = hostAndPort.slice(open + 1);
  const close = bracketed.indexOf(']');
  const host = close === -1 ? bracketed : bracketed.slice(0, close);
  const port = close === -1 ? '' : bracketed.slice(close + 1);
  if (port && !port.startsWith(':')) throw new UrlValueError('Invalid IPv6 URL');
  checkBracketedHost(host);
}

/** urlparse(url): scheme, netloc and path (params split off the last segment); throws UrlValueError where Python raises. */
export function urlparse(input: string): ParsedReferer {
  let url = input.replace(C0_OR_SPACE, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  if (url.startsWith('//')) {
    let end = url.length;
    for (const c of '/?#') {
      const at = url.indexOf(c, 2);
      if (at >= 0) end = Math.min(end, at);
    }
    netloc = url.slice(2, end);
    url = url.slice(end);
    if (netloc.includes('[') !== netloc.includes(']')) throw new UrlValueError('Invalid IPv6 URL');
    if (netloc.includes('[') && netloc.includes(']')) checkBracketedNetloc(netloc);
  }
  const hash = url.indexOf('#');
  if (hash >= 0) url = url.slice(0, hash);
  const question = url.indexOf('?');
  if (question >= 0) url = url.slice(0, question);
  checkNetloc(netloc);
  let path = url;
  if (USES_PARAMS.has(scheme) && path.includes(';')) {
    const slash = path.lastIndexOf('/');
    const semi = slash >= 0 ? path.indexOf(';', slash) : path.indexOf(';');
    if (semi >= 0) path = path.slice(0, semi);
  }
  return { scheme, netloc, path };
}

// ---------------------------------------------------------------------------------------------
// Django's rules.

/** The Referer is on this very host: `^https?://<domain>/`, case-sensitive as in Django. */
export function isInternalRequest(domain: string, referer: string): boolean {
  return referer.startsWith(`http://${domain}/`) || referer.startsWith(`https://${domain}/`);
}

export interface IgnorableInput {
  /** The full path with query string: request.getFullPath(). */
  readonly uri: string;
  /** The validated Host: request.getHost(). */
  readonly domain: string;
  /** The Referer header, '' when absent. */
  readonly referer: string;
}

/** Compile IGNORABLE_404_URLS once; a string that is not a valid pattern fails at boot. */
export function compileIgnorable(patterns: LoadedSettings['IGNORABLE_404_URLS']): RegExp[] {
  return patterns.map((p, i) => {
    // 'g' and 'y' would make test() remember where it stopped between requests.
    if (p instanceof RegExp) return new RegExp(p.source, p.flags.replace(/[gy]/g, ''));
    try {
      return new RegExp(p);
    } catch (err) {
      throw new ImproperlyConfigured(`IGNORABLE_404_URLS[${i}] is not a valid regular expression (${JSON.stringify(p)}): ${(err as Error).message}`);
    }
  });
}

export function isIgnorableRequest(input: IgnorableInput, settings: Pick<LoadedSettings, 'APPEND_SLASH'>, ignorable: readonly RegExp[]): boolean {
  const { uri, domain, referer } = input;
  if (!referer) return true;
  if (settings.APPEND_SLASH && uri.endsWith('/') && referer === uri.slice(0, -1)) return true;
  if (!isInternalRequest(domain, referer) && referer.includes('?')) return true;
  let parsed: ParsedReferer;
  try {
    parsed = urlparse(referer);
  } catch (err) {
    if (err instanceof UrlValueError) return true;
    throw err;
  }
  if ((parsed.netloc === '' || parsed.netloc === domain) && parsed.path === uri) return true;
  return ignorable.some((re) => re.test(uri));
}

export function brokenLinkMail(request: HttpRequest): { subject: string; body: string; domain: string; referer: string; uri: string } {
  const domain = request.getHost();
  const uri = request.getFullPath();
  const referer = request.header('referer') ?? '';
  const ua = request.header('user-agent') ?? '<none>';
  const ip = request.remoteAddr || '<none>';
  const subject = `Broken ${isInternalRequest(domain, referer) ? 'INTERNAL ' : ''}link on ${domain}`;
  const body = `Referrer: ${referer}\nRequested URL: ${uri}\nUser agent: ${ua}\nIP address: ${ip}\n`;
  return { subject, body, domain, referer, uri };
}

const mailLogger = getLogger('reinhardt.mail');

export function brokenLinkEmailsMiddleware({ settings }: MiddlewareContext): Middleware {
  const ignorable = compileIgnorable(settings.IGNORABLE_404_URLS);
  // DEBUG never mails, and neither does a site with no MANAGERS: nothing to do per response.
  if (settings.DEBUG || settings.MANAGERS.length === 0) return { name: 'broken-link-emails' };
  return {
    name: 'broken-link-emails',
    processResponse(request: HttpRequest, response: HttpResponse): HttpResponse {
      // No Referer, no broken link (Django's first rule): decided before any mail is prepared.
      if (response.status !== 404 || !request.header('referer')) return response;
      // Mail is a side effect of the 404: whatever goes wrong preparing it (a Host that no longer
      // validates, a hostile header), the client still gets its 404 page and the fault is logged
      // on 'reinhardt.mail', which never mails.
      try {
        const mail = brokenLinkMail(request);
        if (!isIgnorableRequest(mail, settings, ignorable)) {
          deferMail(`Broken link mail to MANAGERS (${mail.subject})`, () => mailManagers(mail.subject, mail.body, { settings }));
        }
      } catch (err) {
        mailLogger.error(`Broken link mail to MANAGERS could not be prepared: ${err instanceof Error ? err.message : String(err)}`, { err });
      }
      return response;
    },
  };
}
