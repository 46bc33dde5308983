/**
 * Middleware, Django-style: MIDDLEWARE names them in order; each may look at the request before
 * the view (and answer instead of it) and at the response after, in reverse order. Entries are
 * short registered names ('security', 'common', ...) or imported factories.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import { LazyRegistry } from '../utils/lazy-registry.js';
import type { RouteParams, View } from '../urls/patterns.js';
import type { UrlResolver } from '../urls/resolver.js';
import type { HttpRequest } from './request.js';
import type { HttpResponse } from './response.js';

type MaybePromise<T> = T | Promise<T>;

export interface Middleware {
  readonly name: string;
  /** Before the view, in MIDDLEWARE order. A response answers instead of the view. */
  processRequest?(request: HttpRequest): MaybePromise<HttpResponse | undefined>;
  /** Just before the view is called (the view and its parameters are known). */
  processView?(request: HttpRequest, view: View, params: RouteParams): MaybePromise<HttpResponse | undefined>;
  /** After the view or the error funnel, in reverse MIDDLEWARE order. */
  processResponse?(request: HttpRequest, response: HttpResponse): MaybePromise<HttpResponse>;
}

export interface MiddlewareContext {
  readonly settings: LoadedSettings;
  readonly resolver: UrlResolver;
}

/** Called once at boot; may be async (a session engine that connects to its store). */
export type MiddlewareFactory = (ctx: MiddlewareContext) => Middleware | Promise<Middleware>;

const registry = new LazyRegistry<MiddlewareFactory>('middleware', 'an imported middleware factory (ctx) => middleware');

/** Register a short name for MIDDLEWARE. The loader is called once, at boot, when the name is used. */
export function registerMiddleware(name: string, load: () => Promise<MiddlewareFactory>): void {
  registry.register(name, load);
}

export function knownMiddleware(): string[] {
  return registry.names();
}

/**
 * Every middleware of a chain in one object shape, whatever shape its factory returned: the
 * pipeline reads the same three properties of each on every request, and one shape keeps those
 * reads monomorphic for V8 (seven differently shaped objects through one loop cost about a tenth
 * of a hello-world request).
 */
class Slot implements Middleware {
  readonly name: string;
  readonly processRequest: Middleware['processRequest'];
  readonly processView: Middleware['processView'];
  readonly processResponse: Middleware['processResponse'];

  constructor(mw: Middleware) {
    this.name = mw.name;
    this.processRequest = mw.processRequest?.bind(mw);
    this.processView = mw.processView?.bind(mw);
    this.processResponse = mw.processResponse?.bind(mw);
  }
}

/** Build the chain for MIDDLEWARE, failing at boot on an unknown name. */
export async function buildMiddleware(ctx: MiddlewareContext): Promise<Middleware[]> {
  const chain: Middleware[] = [];
  for (const [i, entry] of ctx.settings.MIDDLEWARE.entries()) {
    const factory = await registry.resolve(entry, typeof entry === 'string' ? 'MIDDLEWARE' : `MIDDLEWARE[${i}]`);
    chain.push(new Slot(await factory(ctx)));
  }
  return chain;
}
