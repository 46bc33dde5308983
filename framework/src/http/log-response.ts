/**
 * One function decides how a response is logged: 5xx at ERROR, 4xx at WARNING, on
 * 'reinhardt.request' (a CSRF rejection on 'reinhardt.security.csrf'), with the request attached for handlers that want it (error mail). A
 * response is logged at most once, however many layers see it.
 */
import { CsrfFailure, PermissionDenied } from '../errors.js';
import { escapeControl } from '../log/escape.js';
import { getLogger } from '../log/logger.js';
import type { HttpRequest } from './request.js';
import type { HttpResponse } from './response.js';

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

const logged = new WeakSet<HttpResponse>();
const requestLogger = getLogger('reinhardt.request');
const csrfLogger = getLogger('reinhardt.security.csrf');

/**
 * Control characters in a logged path or message could forge a second log line: they are shown
 * as escapes, by the same rule as every text line the log writes (log/escape.ts).
 */
export const escapeForLog = escapeControl;

export function logResponse(request: HttpRequest, response: HttpResponse, err?: unknown): void {
  if (response.status < 400) return;
  const level = response.status >= 500 ? 'ERROR' : 'WARNING';
  const csrf = err instanceof CsrfFailure && response.status === 403;
  // A record no handler takes is not made (a production 404 on DEFAULT_LOGGING, where only
  // ERROR is mailed): checked before anything is built, since every 404 comes through here.
  if (!(csrf ? csrfLogger : requestLogger).isEnabledFor(level) || logged.has(response)) return;
  logged.add(response);
  if (csrf) {
    // Django's django.security.csrf: a rejected form is a security event, not a request error.
    // No error object, so no stack trace (and no file paths): the reason says it all, and any
    // client can cause these by the thousand.
    const msg = `Forbidden (${escapeForLog(err.reason)}): ${escapeForLog(request.path)}`;
    csrfLogger.log(level, msg, { status_code: response.status, request });
    return;
  }
  // As Django: a view's PermissionDenied is 'Forbidden (Permission denied): /path' (never the
  // exception's own message); any other 4xx or 5xx is '<reason phrase>: /path'.
  const reason = err instanceof PermissionDenied && response.status === 403 ? 'Forbidden (Permission denied)' : reasonPhrase(response.status);
  const msg = `${reason}: ${escapeForLog(request.path)}`;
  // Only a server error carries its error (the traceback for the admins' mail). A 4xx is the
  // client's doing, any client can cause it by the thousand, and its stack would put the site's
  // file paths in any log that prints warnings.
  if (response.status >= 500) requestLogger.log(level, msg, { status_code: response.status, request, err });
  else requestLogger.log(level, msg, { status_code: response.status, request });
}
