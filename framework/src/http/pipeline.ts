/**
 * One request through the middleware and the view: request phase in MIDDLEWARE order (a
 * middleware may answer instead of the view), the view, then the response phase in reverse
 * order over the middleware that ran. Any error on the way goes to the error funnel, and the
 * funnel's response still passes back through the middleware (so security headers land on error
 * pages too). Sync middleware is not awaited: an await per layer costs on the hot path.
 */
import { Http404 } from '../errors.js';
import type { RouteParams, View } from '../urls/patterns.js';
import { type FunnelContext, responseForError } from './error-funnel.js';
import { logResponse } from './log-response.js';
import type { Middleware } from './middleware.js';
import type { HttpRequest } from './request.js';
import { HttpResponse } from './response.js';

export interface PipelineResult {
  response: HttpResponse;
  error: unknown;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined instead';
  if (value === null) return 'null instead';
  return `a ${typeof value} instead`;
}

/**
 * `view` undefined: no URL pattern matched. The request phase still runs (APPEND_SLASH and
 * others answer there), then it is a 404 without a view phase, as in Django, where
 * process_view only sees resolved views (so a POST to a missing URL is a 404, not a CSRF 403).
 */
export async function runPipeline(
  request: HttpRequest,
  view: View | undefined,
  params: RouteParams,
  chain: readonly Middleware[],
  ctx: FunnelContext,
): Promise<HttpResponse> {
  let response: HttpResponse | undefined;
  let error: unknown;
  let ran = 0;
  try {
    for (; ran < chain.length && !response; ran++) {
      const mw = chain[ran]!;
      if (!mw.processRequest) continue;
      const r = mw.processRequest(request);
      response = isPromise(r) ? await r : r;
    }
    if (!response) {
      if (!view) throw new Http404();
      for (const mw of chain) {
        if (!mw.processView) continue;
        const r = mw.processView(request, view, params);
        response = isPromise(r) ? await r : r;
        if (response) break;
      }
      if (!response) {
        const r = view(request, params);
        const out: unknown = isPromise(r) ? await r : r;
        if (!(out instanceof HttpResponse)) {
          throw new TypeError(`The view ${view.name || '(anonymous)'} didn't return an HttpResponse. It returned ${describe(out)}.`);
        }
        response = out;
      }
    }
  } catch (err) {
    error = err;
    response = responseForError(err, request, ctx);
  }
  for (let i = ran - 1; i >= 0; i--) {
    const mw = chain[i]!;
    if (!mw.processResponse) continue;
    try {
      const r = mw.processResponse(request, response);
      response = isPromise(r) ? await r : r;
    } catch (err) {
      error = err;
      response = responseForError(err, request, ctx);
    }
  }
  logResponse(request, response, error);
  return response;
}
