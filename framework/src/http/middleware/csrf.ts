/**
 * 'csrf': Django's CsrfViewMiddleware (4.1+ behaviour). POST, PUT, PATCH and DELETE (anything
 * but GET, HEAD, OPTIONS and TRACE) must carry a token that matches the secret in the CSRF cookie
 * (or the session, with CSRF_USE_SESSIONS): the form field `csrfmiddlewaretoken`, or the
 * CSRF_HEADER_NAME header for AJAX. An Origin header must be the site's own or trusted, and an
 * HTTPS request without Origin needs a same-site HTTPS Referer. A failure throws CsrfFailure, a
 * 403 whose reason the DEBUG page shows. Views opt out with csrfExempt().
 *
 * Nothing happens for a request that neither shows nor posts a form: the cookie is read and sent
 * only when a token is used.
 */
import { normaliseHeaderName } from '../hosts.js';
import { CsrfFailure, ImproperlyConfigured } from '../../errors.js';
import { cookieAttributes, lifetime } from '../cookie-settings.js';
import { DONT_ENFORCE_CSRF_CHECKS, isCsrfExempt } from '../csrf/exempt.js';
import { compileTrustedOrigins, originVerified, refererProblem } from '../csrf/origins.js';
import { REASON_BAD_ORIGIN, REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE } from '../csrf/reasons.js';
import { CSRF_SESSION_KEY, CsrfCookieFormatError, CsrfState } from '../csrf/state.js';
import { tokenFormatProblem, tokenMatchesSecret } from '../csrf/tokens.js';
import type { Middleware, MiddlewareContext } from '../middleware.js';
import type { HttpRequest } from '../request.js';
import { patchVaryHeaders } from '../vary.js';

/** The methods RFC 9110 calls safe: they must not change anything, so they are not checked. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** 'x-csrftoken' as Django names it in messages: 'X-Csrftoken'. */
function headerLabel(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('-');
}

function checkOrder(middleware: readonly unknown[]): void {
  const sessions = middleware.indexOf('sessions');
  if (sessions === -1 || sessions > middleware.indexOf('csrf')) {
    throw new ImproperlyConfigured(
      "CSRF_USE_SESSIONS is true, so the CSRF secret lives in the session: 'sessions' must come before 'csrf' in MIDDLEWARE.",
    );
  }
}

export function csrfMiddleware({ settings }: MiddlewareContext): Middleware {
  const useSessions = settings.CSRF_USE_SESSIONS;
  if (useSessions) checkOrder(settings.MIDDLEWARE);
  const trusted = compileTrustedOrigins(settings.CSRF_TRUSTED_ORIGINS);
  const source = { useSessions, cookieName: settings.CSRF_COOKIE_NAME };
  const stateSource = { open: (request: HttpRequest) => new CsrfState(request, source) };
  const header = normaliseHeaderName(settings.CSRF_HEADER_NAME);
  const headerSource = `the '${headerLabel(header)}' HTTP header`;
  const age = settings.CSRF_COOKIE_AGE;
  const cookieOptions = cookieAttributes(settings, 'CSRF');

  function checkToken(request: HttpRequest, state: CsrfState): void {
    let secret: string | null;
    try {
      secret = state.received();
    } catch (err) {
      if (err instanceof CsrfCookieFormatError) {
        state.secret(); // a fresh secret goes out with the 403, so the next form works
        throw new CsrfFailure(err.message);
      }
      throw err;
    }
    if (secret === null) throw new CsrfFailure(REASON_NO_CSRF_COOKIE);
    let token = request.method === 'POST' ? (request.POST.get('csrfmiddlewaretoken') ?? '') : '';
    let from = 'POST';
    if (token === '') {
      const value = request.header(header);
      if (value === undefined) throw new CsrfFailure(REASON_CSRF_TOKEN_MISSING);
      token = value;
      from = headerSource;
    }
    const problem = tokenFormatProblem(token);
    if (problem) throw new CsrfFailure(`CSRF token from ${from} ${problem}.`);
    if (!tokenMatchesSecret(token, secret)) throw new CsrfFailure(`CSRF token from ${from} incorrect.`);
  }

  return {
    name: 'csrf',
    processRequest(request) {
      request.csrfSource = stateSource;
      return undefined;
    },
    processView(request, view) {
      if (isCsrfExempt(view) || SAFE_METHODS.has(request.method)) return undefined;
      if ((request.raw.raw as unknown as Record<symbol, unknown>)[DONT_ENFORCE_CSRF_CHECKS] === true) return undefined;
      const origin = request.header('origin');
      if (origin !== undefined) {
        if (!originVerified(request, origin, trusted)) throw new CsrfFailure(REASON_BAD_ORIGIN(origin));
      } else if (request.isSecure()) {
        const problem = refererProblem(request, trusted, settings);
        if (problem) throw new CsrfFailure(problem);
      }
      checkToken(request, request.csrf!);
      return undefined;
    },
    processResponse(request, response) {
      if (!request.hasCsrf()) return response;
      const state = request.csrf!;
      if (!state.needsUpdate) return response;
      state.needsUpdate = false;
      const secret = state.secret();
      if (useSessions) {
        if (request.session.get(CSRF_SESSION_KEY) !== secret) request.session.set(CSRF_SESSION_KEY, secret);
      } else {
        response.setCookie(settings.CSRF_COOKIE_NAME, secret, { ...cookieOptions, ...lifetime(age ?? undefined) });
        patchVaryHeaders(response, ['Cookie']);
      }
      return response;
    },
  };
}
