/**
 * 'security': Django's SecurityMiddleware. Redirects plain HTTP to HTTPS (SECURE_SSL_REDIRECT,
 * SECURE_SSL_HOST, SECURE_REDIRECT_EXEMPT), and adds HSTS (secure requests only: a browser
 * ignores it over HTTP and a proxy could strip it), X-Content-Type-Options, Referrer-Policy and
 * Cross-Origin-Opener-Policy unless the view set them itself.
 */
import type { Middleware, MiddlewareContext } from '../middleware.js';
import { HttpResponsePermanentRedirect } from '../response.js';

export function securityMiddleware({ settings }: MiddlewareContext): Middleware {
  const exempt = settings.SECURE_REDIRECT_EXEMPT.map((p) => (typeof p === 'string' ? new RegExp(p) : p));
  let hsts: string | undefined;
  if (settings.SECURE_HSTS_SECONDS > 0) {
    hsts = `max-age=${settings.SECURE_HSTS_SECONDS}`;
    if (settings.SECURE_HSTS_INCLUDE_SUBDOMAINS) hsts += '; includeSubDomains';
    if (settings.SECURE_HSTS_PRELOAD) hsts += '; preload';
  }
  const policy = settings.SECURE_REFERRER_POLICY;
  const referrer =
    policy === null ? undefined : (typeof policy === 'string' ? policy.split(',') : [...policy]).map((v) => v.trim()).filter(Boolean).join(',');
  const coop = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY ?? undefined;
  const nosniff = settings.SECURE_CONTENT_TYPE_NOSNIFF;

  return {
    name: 'security',
    // Without SECURE_SSL_REDIRECT there is nothing to do before the view.
    processRequest: !settings.SECURE_SSL_REDIRECT ? undefined : (request) => {
      if (request.isSecure()) return undefined;
      const path = request.path.replace(/^\/+/, '');
      if (exempt.some((re) => re.test(path))) return undefined;
      const host = settings.SECURE_SSL_HOST ?? request.getHost();
      return new HttpResponsePermanentRedirect(`https://${host}${request.getFullPath()}`);
    },
    processResponse(request, response) {
      if (hsts && request.isSecure()) response.setDefault('Strict-Transport-Security', hsts);
      if (nosniff) response.setDefault('X-Content-Type-Options', 'nosniff');
      if (referrer) response.setDefault('Referrer-Policy', referrer);
      if (coop) response.setDefault('Cross-Origin-Opener-Policy', coop);
      return response;
    },
  };
}
