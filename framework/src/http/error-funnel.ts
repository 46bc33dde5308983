/**
 * The one place where an error becomes a response. Views, middleware and the framework throw;
 * this decides the status, the page (technical in DEBUG; the site's 400/403/404/500.html or a
 * built-in plain page otherwise) and the security record. Request records are written once, by
 * logResponse(), after the response has passed back through the middleware.
 *
 * Status mapping:
 *   Http404 -> 404 · PermissionDenied (CsrfFailure too) -> 403 · BadRequest, SuspiciousOperation -> 400
 *   (RequestDataTooBig too, which Fastify's own body-too-large error becomes) · UnsupportedMediaType
 *   -> 415 · a request body the client stopped sending -> 400 · Fastify's other client errors keep
 *   their 4xx · else 500
 * A body error reaches here from request.body or request.POST, inside the middleware, when the
 * view or a middleware reads the body (request-bodies.ts).
 * A CsrfFailure gets its own pages: the reason in DEBUG; the site's 403_csrf.html, else its
 * 403.html, else the plain 403 otherwise.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import {
  BadRequest,
  CsrfFailure,
  Http404,
  PermissionDenied,
  SuspiciousOperation,
  TemplateDoesNotExist,
  UnsupportedMediaType,
} from '../errors.js';
import { getLogger } from '../log/logger.js';
import type { TemplateEngine } from '../templates/index.js';
import type { UrlResolver } from '../urls/resolver.js';
import { technicalCsrfResponse } from './debug/csrf.js';
import { technical404Response, technical500Response } from './debug/index.js';
import { escapeForLog } from './log-response.js';
import { plainPage } from './plain-pages.js';
import { bodyErrorOf } from './request-bodies.js';
import type { HttpRequest } from './request.js';
import { HttpResponse } from './response.js';

export interface FunnelContext {
  readonly settings: LoadedSettings;
  readonly resolver: UrlResolver;
  readonly templates: TemplateEngine | undefined;
}

/** Fastify's own client errors (bad body, unsupported media type, ...) keep their 4xx status. */
function fastifyClientStatus(err: unknown): number | undefined {
  if (!(err instanceof Error) || !('code' in err) || typeof err.code !== 'string' || !err.code.startsWith('FST_')) return undefined;
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

export function statusForError(err: unknown): number {
  if (err instanceof Http404) return 404;
  if (err instanceof PermissionDenied) return 403;
  if (err instanceof BadRequest || err instanceof SuspiciousOperation) return 400;
  if (err instanceof UnsupportedMediaType) return 415;
  return fastifyClientStatus(err) ?? 500;
}

/**
 * Fastify's errors that have a Django meaning become that error (request-bodies.ts): a body over
 * Fastify's bodyLimit (which is DATA_UPLOAD_MAX_MEMORY_SIZE) is Django's RequestDataTooBig, a 400
 * logged on 'reinhardt.security.RequestDataTooBig', not Fastify's 413; malformed JSON is a
 * BadRequest, a malformed Content-Type an UnsupportedMediaType.
 */
function asFrameworkError(err: unknown, settings: LoadedSettings): unknown {
  return bodyErrorOf(err, settings) ?? err;
}

/** Suspicious requests are logged on 'reinhardt.security.<ClassName>' (DisallowedHost, ...). */
export function logSecurityError(err: SuspiciousOperation, request: HttpRequest | undefined): void {
  getLogger(`reinhardt.security.${err.name}`).error(escapeForLog(err.message), { status_code: 400, request, err });
}

/**
 * The 404 of a path no URL pattern matches. Not an error but the resolver's answer, so no Error
 * is made for it (capturing a stack was a tenth of a 404's cost) and its record carries none, as
 * Django logs its 404s.
 */
export function responseForNoMatch(request: HttpRequest, ctx: FunnelContext): HttpResponse {
  if (ctx.settings.DEBUG) return technical404Response(request, undefined, ctx.resolver, ctx.settings);
  return errorPage(404, request, ctx);
}

/**
 * The client went away while its body was being read (a POST cut short): its fault, not the
 * server's, so a 400 and a warning rather than a server error mailed to ADMINS, which any client
 * could cause at will. (Django answers 500 with an UnreadablePostError.) The same error code from
 * anything else, a view's own outgoing connection say, stays a server error: the request's own
 * stream must have been aborted before it was complete.
 */
function bodyCutShort(err: unknown, request: HttpRequest): boolean {
  const code = err instanceof Error && 'code' in err ? err.code : undefined;
  if (code !== 'ECONNRESET' && code !== 'ECONNABORTED') return false;
  // readableAborted alone is also true once a client hangs up after its whole request arrived.
  const raw = request.raw?.raw;
  return raw !== undefined && raw.readableAborted && !raw.complete;
}

export function responseForError(thrown: unknown, request: HttpRequest, ctx: FunnelContext): HttpResponse {
  const err = asFrameworkError(thrown, ctx.settings);
  const status = bodyCutShort(err, request) ? 400 : statusForError(err);
  if (err instanceof SuspiciousOperation) logSecurityError(err, request);
  if (ctx.settings.DEBUG) {
    if (status === 404) return technical404Response(request, err as Http404, ctx.resolver, ctx.settings);
    if (err instanceof CsrfFailure) return technicalCsrfResponse(request, err);
    return technical500Response(request, err, ctx.settings, status);
  }
  if (err instanceof CsrfFailure) return errorPage(403, request, ctx, { templates: ['403_csrf.html', '403.html'], context: { reason: err.reason } });
  return errorPage(status, request, ctx);
}

/** The SuspiciousOperation behind `err`: itself, or what a template error wraps (its cause). */
function suspiciousCause(err: unknown): SuspiciousOperation | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof SuspiciousOperation) return e;
  }
  return undefined;
}

/**
 * The production page for a status: the site's `<status>.html` (or the first of `templates` it
 * has), else the built-in page. If the site's template itself fails, that failure is logged and
 * the built-in page is sent: an error page must never be the thing that breaks.
 */
export function errorPage(
  status: number,
  request: HttpRequest,
  ctx: FunnelContext,
  page: { templates?: readonly string[]; context?: Readonly<Record<string, unknown>> } = {},
): HttpResponse {
  const names = page.templates ?? [`${status}.html`];
  let body: string | undefined;
  if (ctx.templates) {
    try {
      body = ctx.templates.renderToString(names, page.context ?? {}, request);
    } catch (renderError) {
      // The template read what the client sent (request.GET over DATA_UPLOAD_MAX_NUMBER_FIELDS):
      // the client's doing, logged as such, not a broken template mailed to the admins.
      const suspicious = suspiciousCause(renderError);
      if (suspicious) logSecurityError(suspicious, request);
      else if (!(renderError instanceof TemplateDoesNotExist && (names as readonly string[]).includes(renderError.template))) {
        getLogger('reinhardt.request').error(`Error rendering ${names.join(' or ')}: the built-in page was sent instead`, {
          status_code: status,
          request,
          err: renderError,
        });
      }
    }
  }
  return new HttpResponse(body ?? plainPage(status), { status });
}
