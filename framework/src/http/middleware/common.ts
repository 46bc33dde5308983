/**
 * 'common': Django's CommonMiddleware. Refuses DISALLOWED_USER_AGENTS, adds 'www.' with
 * PREPEND_WWW, and with APPEND_SLASH turns a 404 for '/about' into a 301 to '/about/' when only
 * the slashed path matches a pattern (GET and HEAD only: a redirect would lose a POST body).
 */
import { PermissionDenied } from '../../errors.js';
import type { Middleware, MiddlewareContext } from '../middleware.js';
import type { HttpRequest } from '../request.js';
import { HttpResponsePermanentRedirect, type HttpResponse } from '../response.js';

/**
 * '//evil.com/' must not become a protocol-relative redirect target: encode the second slash.
 */
function escapeLeadingSlashes(path: string): string {
  return path.startsWith('//') ? `/%2F${path.slice(2)}` : path;
}

export function commonMiddleware({ settings, resolver }: MiddlewareContext): Middleware {
  const agents = settings.DISALLOWED_USER_AGENTS.map((p) => (typeof p === 'string' ? new RegExp(p) : p));

  function shouldRedirectWithSlash(request: HttpRequest): boolean {
    if (!settings.APPEND_SLASH || request.rawPath.endsWith('/')) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    return resolver.resolve(request.rawPath) === undefined && resolver.resolve(`${request.rawPath}/`) !== undefined;
  }

  function slashedFullPath(request: HttpRequest): string {
    const qs = request.queryString;
    return escapeLeadingSlashes(`${request.rawPath}/`) + (qs ? `?${qs}` : '');
  }

  return {
    name: 'common',
    // Nothing to refuse or redirect before the view without these settings.
    processRequest: agents.length === 0 && !settings.PREPEND_WWW ? undefined : (request) => {
      const ua = request.header('user-agent');
      if (ua && agents.some((re) => re.test(ua))) throw new PermissionDenied('Forbidden user agent');
      if (settings.PREPEND_WWW) {
        const host = request.getHost();
        if (host && !host.startsWith('www.')) {
          const path = shouldRedirectWithSlash(request) ? slashedFullPath(request) : escapeLeadingSlashes(request.getFullPath());
          return new HttpResponsePermanentRedirect(`${request.scheme}://www.${host}${path}`);
        }
      }
      return undefined;
    },
    processResponse(request, response): HttpResponse {
      if (response.status === 404 && shouldRedirectWithSlash(request)) {
        return new HttpResponsePermanentRedirect(slashedFullPath(request));
      }
      return response;
    },
  };
}
