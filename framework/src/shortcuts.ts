/**
 * reinhardt/shortcuts: render() and redirect(), Django's shortcuts.
 */
import { ImproperlyConfigured } from './errors.js';
import type { HttpRequest } from './http/request.js';
import { HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect } from './http/response.js';
import { siteServices } from './http/services.js';

/**
 * Render a template with a context into an HttpResponse.
 *
 * @example
 * return render(request, 'stores/detail.html', { store });
 */
export function render(
  request: HttpRequest,
  template: string | readonly string[],
  context: Record<string, unknown> = {},
  options: { status?: number; contentType?: string } = {},
): HttpResponse {
  const { templates } = siteServices(request.raw);
  if (!templates) {
    throw new ImproperlyConfigured("render() needs a template engine: add { BACKEND: 'eta', DIRS: [...], APP_DIRS: true } to TEMPLATES.");
  }
  const body = templates.renderToString(template, context, request);
  return new HttpResponse(body, { status: options.status ?? 200, contentType: options.contentType ?? 'text/html; charset=utf-8' });
}

/**
 * A redirect to a URL, or to a named URL pattern (reversed with `params`).
 *
 * @example
 * return redirect('stores:detail', { params: { store_id: 3 } });
 * return redirect('/thanks/', { permanent: true });
 */
export function redirect(
  request: HttpRequest,
  to: string,
  options: { permanent?: boolean; params?: Readonly<Record<string, unknown>> | readonly unknown[] } = {},
): HttpResponseRedirect {
  let url = to;
  if (!to.includes('/') && !to.includes('.')) {
    url = siteServices(request.raw).resolver.reverse(to, options.params);
  }
  return options.permanent ? new HttpResponsePermanentRedirect(url) : new HttpResponseRedirect(url);
}
