/**
 * The resolver of the running site, for reverse() and the templates' url() helper. Bound by the
 * app assembly at boot; reverse() before that fails with a clear message.
 */
import { ImproperlyConfigured } from '../errors.js';
import type { UrlResolver } from './resolver.js';

let active: UrlResolver | undefined;

export function activateResolver(resolver: UrlResolver | undefined): void {
  active = resolver;
}

export function activeResolver(): UrlResolver {
  if (!active) {
    throw new ImproperlyConfigured('reverse() was called before the site was booted: no URLconf is loaded (check ROOT_URLCONF).');
  }
  return active;
}

/**
 * The URL path of a named pattern.
 *
 * @example
 * reverse('stores:detail', { store_id: 3 }) // '/stores/3/'
 */
export function reverse(name: string, params?: Readonly<Record<string, unknown>> | readonly unknown[]): string {
  return activeResolver().reverse(name, params);
}
