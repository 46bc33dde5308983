/**
 * `path()` and `include()`: the URL configuration as data. A route is Django's syntax:
 * 'stores/<int:store_id>/'. Patterns are compiled once, at boot, by the resolver.
 */
import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';

/** Route parameters after conversion (an `<int:id>` arrives as a number). */
export type RouteParams = Readonly<Record<string, unknown>>;

export type View = (request: HttpRequest, params: RouteParams) => HttpResponse | Promise<HttpResponse>;

/** A URLconf module: `export const urlpatterns = [...]`, optionally `export const appName = 'stores'`. */
export interface UrlConfModule {
  readonly urlpatterns: readonly UrlEntry[];
  readonly appName?: string;
}

export interface UrlPattern {
  readonly kind: 'pattern';
  readonly route: string;
  readonly view: View;
  readonly name: string | undefined;
}

export interface UrlInclude {
  readonly kind: 'include';
  readonly route: string;
  /** A dotted module name resolved at boot, a module object, or a list of patterns. */
  readonly target: string | UrlConfModule | readonly UrlEntry[];
  readonly namespace: string | undefined;
}

export type UrlEntry = UrlPattern | UrlInclude;

/** What include() returns, to be placed in path(route, include(...)). */
export interface Included {
  readonly kind: 'included';
  readonly target: string | UrlConfModule | readonly UrlEntry[];
  readonly namespace: string | undefined;
}

export function include(
  target: string | UrlConfModule | readonly UrlEntry[],
  options: { namespace?: string } = {},
): Included {
  return { kind: 'included', target, namespace: options.namespace };
}

/**
 * @example
 * path('stores/<int:store_id>/', views.detail, { name: 'detail' })
 * path('stores/', include('stores.urls'))
 */
export function path(route: string, view: View, options?: { name?: string }): UrlPattern;
export function path(route: string, included: Included): UrlInclude;
export function path(route: string, target: View | Included, options: { name?: string } = {}): UrlEntry {
  if (typeof target === 'function') return { kind: 'pattern', route, view: target, name: options.name };
  return { kind: 'include', route, target: target.target, namespace: target.namespace };
}
