/**
 * One request through the middleware and the view: request phase in MIDDLEWARE order (a
 * middleware may answer instead of the view), the view phase (process_view, then the view), then
 * the response phase in reverse order over the middleware whose request phase ran. Any error on
 * the way goes to the error funnel, and the funnel's response still passes back through the
 * middleware (so security headers land on error pages too).
 *
 * Every step may answer a value or a promise. The pipeline stays synchronous until a step
 * answers a promise and only then continues asynchronously: a request whose middleware and view
 * are all synchronous (most of them) allocates no promise and waits for no microtask turn.
 */
import type { RouteParams, View } from '../urls/patterns.js';
import { type FunnelContext, responseForError, responseForNoMatch } from './error-funnel.js';
import { logResponse } from './log-response.js';
import type { Middleware } from './middleware.js';
import type { HttpRequest } from './request.js';
import { HttpResponse } from './response.js';

type Step<T> = T | Promise<T>;

/**
 * A promise, or any thenable a view or middleware returns: each is taken through Promise.resolve
 * before it is chained, so that a bare `{ then(resolve) {...} }` (whose then() returns nothing)
 * works as it would under `await`.
 */
function isPromise<T>(value: Step<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined instead';
  if (value === null) return 'null instead';
  return `a ${typeof value} instead`;
}

/** One request's way through the chain. */
class Run {
  /** How many middleware ran their request phase (their response phase runs, in reverse). */
  ran = 0;
  error: unknown = undefined;

  constructor(
    readonly request: HttpRequest,
    readonly view: View | undefined,
    readonly params: RouteParams,
    readonly chain: readonly Middleware[],
    readonly ctx: FunnelContext,
  ) {}

  /** The response of a middleware or of the view; throws or rejects on error. */
  requestPhase(from: number): Step<HttpResponse> {
    const { chain, request } = this;
    for (let i = from; i < chain.length; i++) {
      const mw = chain[i]!;
      if (!mw.processRequest) {
        this.ran = i + 1;
        continue;
      }
      const r = mw.processRequest(request);
      if (isPromise(r)) {
        return Promise.resolve(r).then((answer) => {
          this.ran = i + 1;
          return answer ?? this.requestPhase(i + 1);
        });
      }
      this.ran = i + 1;
      if (r) return r;
    }
    // No URL pattern matched: a 404 without a view phase, as in Django, where process_view only
    // sees resolved views (so a POST to a missing URL is a 404, not a CSRF 403).
    if (!this.view) return responseForNoMatch(request, this.ctx);
    return this.viewPhase(0, this.view);
  }

  viewPhase(from: number, view: View): Step<HttpResponse> {
    const { chain, request, params } = this;
    for (let i = from; i < chain.length; i++) {
      const mw = chain[i]!;
      if (!mw.processView) continue;
      const r = mw.processView(request, view, params);
      if (isPromise(r)) return Promise.resolve(r).then((answer) => answer ?? this.viewPhase(i + 1, view));
      if (r) return r;
    }
    const out = view(request, params);
    return isPromise(out) ? Promise.resolve(out).then((value) => checked(view, value)) : checked(view, out);
  }

  /** The response phase from middleware `i` down, then the one request record. */
  responsePhase(response: HttpResponse, i: number): Step<HttpResponse> {
    const { chain, request } = this;
    for (; i >= 0; i--) {
      const mw = chain[i]!;
      if (!mw.processResponse) continue;
      try {
        const r = mw.processResponse(request, response);
        if (isPromise(r)) {
          const next = i - 1;
          return Promise.resolve(r).then(
            (answer) => this.responsePhase(answer, next),
            (err: unknown) => this.responsePhase(this.failed(err), next),
          );
        }
        response = r;
      } catch (err) {
        response = this.failed(err);
      }
    }
    logResponse(request, response, this.error);
    return response;
  }

  failed(err: unknown): HttpResponse {
    this.error = err;
    return responseForError(err, this.request, this.ctx);
  }
}

function checked(view: View, out: unknown): HttpResponse {
  if (!(out instanceof HttpResponse)) {
    throw new TypeError(`The view ${view.name || '(anonymous)'} didn't return an HttpResponse. It returned ${describe(out)}.`);
  }
  return out;
}

/**
 * `view` undefined: no URL pattern matched. The request phase still runs (APPEND_SLASH and
 * others answer there), then it is a 404.
 */
export function runPipeline(
  request: HttpRequest,
  view: View | undefined,
  params: RouteParams,
  chain: readonly Middleware[],
  ctx: FunnelContext,
): Step<HttpResponse> {
  const run = new Run(request, view, params, chain, ctx);
  let first: Step<HttpResponse>;
  try {
    first = run.requestPhase(0);
  } catch (err) {
    return run.responsePhase(run.failed(err), run.ran - 1);
  }
  if (isPromise(first)) {
    return Promise.resolve(first).then(
      (response) => run.responsePhase(response, run.ran - 1),
      (err: unknown) => run.responsePhase(run.failed(err), run.ran - 1),
    );
  }
  return run.responsePhase(first, run.ran - 1);
}
