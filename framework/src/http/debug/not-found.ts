/**
 * The technical 404 page and the welcome page (Django's technical_404 and default_urlconf).
 *
 * Two kinds of 404, as in Django:
 * - the resolver found nothing (the not-found route raises a bare Http404): list every URL
 *   pattern tried, in order, and say the path matched none;
 * - a view (or middleware) raised Http404 itself: show its message and which route's view it was.
 * A site with no URL patterns at all gets the welcome page at '/' instead, with status 200.
 */
import type { LoadedSettings } from '../../conf/settings-types.js';
import { Http404 } from '../../errors.js';
import type { UrlResolver } from '../../urls/resolver.js';
import type { HttpRequest } from '../request.js';
import { escapeHtml as e } from './escape.js';
import { htmlDocument, metaTable } from './layout.js';
import type { Redactor } from './redact.js';
import { collectRequest } from './request-data.js';
import { frameworkVersion } from './report-data.js';
import { attempt } from './values.js';

const DEFAULT_404_MESSAGE = new Http404().message;

export interface NotFoundData {
  readonly method: string;
  readonly url: string;
  /** The path without its leading '/', as routes are written (Django shows it this way). */
  readonly path: string;
  readonly urlconf: string;
  readonly routes: readonly { readonly route: string; readonly name: string | undefined }[];
  /** The Http404's own message when a view or middleware raised it; undefined for the resolver's. */
  readonly reason: string | undefined;
  /** 'stores/<int:id>/' [name='detail'] handled by view detail, when a view raised the 404. */
  readonly raisedBy: string | undefined;
  readonly version: string;
}

export function collectNotFound(
  request: HttpRequest,
  err: Http404 | undefined,
  resolver: UrlResolver,
  settings: LoadedSettings,
  redactor: Redactor,
): NotFoundData {
  const req = collectRequest(request, settings, redactor);
  const match = attempt(() => request.resolverMatch, () => undefined);
  const message = attempt(() => (err === undefined ? undefined : String(err.message)), () => undefined);
  const fromView = match !== undefined || (message !== undefined && message !== DEFAULT_404_MESSAGE);
  let raisedBy: string | undefined;
  if (match) {
    const view = attempt(() => resolver.routes.find((r) => r.route === match.route && r.name === match.name)?.view.name, () => undefined);
    const name = match.name ? ` [name='${match.name}']` : '';
    raisedBy = redactor.text(`the view ${view || '(anonymous)'} of route '${match.route}'${name}`);
  }
  const urlconf = attempt(() => settings.ROOT_URLCONF, () => null);
  return {
    method: req.method,
    url: req.url,
    path: req.path.replace(/^\//, ''),
    urlconf: redactor.text(typeof urlconf === 'string' && urlconf ? urlconf : 'ROOT_URLCONF (not set)'),
    routes: attempt(() => resolver.routes.map((r) => ({ route: redactor.text(r.route), name: r.name && redactor.text(r.name) })), () => []),
    reason: fromView ? redactor.text(message ?? DEFAULT_404_MESSAGE) : undefined,
    raisedBy,
    version: frameworkVersion(),
  };
}

/** The welcome page applies: no URL patterns at all, and the site root was asked for. */
export function isWelcome(data: NotFoundData): boolean {
  return data.reason === undefined && data.routes.length === 0 && data.path === '';
}

function routeLabel(r: NotFoundData['routes'][number]): string {
  return `${r.route || '(empty route)'}${r.name ? ` [name='${r.name}']` : ''}`;
}

function currentPath(data: NotFoundData, html: boolean): string {
  const code = (s: string) => (html ? `<code>${e(s)}</code>` : s);
  return data.path ? `The current path, ${code(data.path)},` : 'The empty path';
}

const DEBUG_NOTE =
  "You're seeing this page because DEBUG = true in your Reinhardt settings. Set it to false and Reinhardt will answer with the standard 404 page.";

export function renderNotFoundHtml(data: NotFoundData): string {
  let info: string;
  if (data.reason !== undefined) {
    info = data.raisedBy ? `<p>${currentPath(data, true)} matched ${e(data.raisedBy)}, which raised Http404.</p>` : '';
  } else if (!data.routes.length) {
    info = `<p>The URLconf defined in <code>${e(data.urlconf)}</code> has no URL patterns, so nothing can match. Add some with <code>path()</code> in its <code>urlpatterns</code>.</p>`;
  } else {
    const items = data.routes.map((r) => `<li>${e(routeLabel(r))}</li>`).join('\n');
    info =
      `<p>Using the URLconf defined in <code>${e(data.urlconf)}</code>, Reinhardt tried these URL patterns, in this order:</p>\n` +
      `<ol class="patterns">\n${items}\n</ol>\n<p>${currentPath(data, true)} didn't match any of these.</p>`;
  }
  const body = [
    '<header id="summary" class="notfound">\n<h1>Page not found <small>(404)</small></h1>',
    data.reason !== undefined ? `<pre class="value">${e(data.reason)}</pre>` : '',
    metaTable([
      ['Request Method:', data.method],
      ['Request URL:', data.url],
      ['Raised by:', data.raisedBy],
      ['Reinhardt Version:', data.version],
    ]),
    '</header>',
    `<section id="info">\n${info}\n</section>`,
    `<footer id="explanation"><p>${e(DEBUG_NOTE)}</p></footer>`,
  ];
  return htmlDocument(`Page not found at /${data.path}`, body.join('\n'));
}

export function renderNotFoundText(data: NotFoundData): string {
  const lines = ['Page not found (404)', ''];
  if (data.reason !== undefined) lines.push(data.reason, '');
  lines.push(`Request Method: ${data.method}`, `Request URL: ${data.url}`);
  if (data.raisedBy) lines.push(`Raised by: ${data.raisedBy}`);
  lines.push(`Reinhardt Version: ${data.version}`, '');
  if (data.reason !== undefined) {
    if (data.raisedBy) lines.push(`${currentPath(data, false)} matched ${data.raisedBy}, which raised Http404.`, '');
  } else if (!data.routes.length) {
    lines.push(`The URLconf defined in ${data.urlconf} has no URL patterns, so nothing can match.`, '');
  } else {
    lines.push(`Using the URLconf defined in ${data.urlconf}, Reinhardt tried these URL patterns, in this order:`, '');
    data.routes.forEach((r, i) => lines.push(`${i + 1}. ${routeLabel(r)}`));
    lines.push('', `${currentPath(data, false)} didn't match any of these.`, '');
  }
  lines.push(DEBUG_NOTE, '');
  return lines.join('\n');
}

export function renderWelcomeHtml(version: string): string {
  const body = [
    '<header id="summary" class="welcome">',
    `<h1>Reinhardt ${e(version)} is up and running <small>— nice work!</small></h1>`,
    '<p>Your project is installed and answering requests.</p>',
    '</header>',
    '<section>',
    '<p>This page is here because <code>DEBUG = true</code> in your settings and your URLconf has no URL patterns yet.</p>',
    '<h2>Next steps</h2>',
    '<ul>',
    '<li>Add a view and route it: <code>export const urlpatterns = [path(\'\', views.home, { name: \'home\' })];</code> in the module named by <code>ROOT_URLCONF</code>.</li>',
    '<li>Create an app with <code>npx reinhardt startapp NAME</code> and list it in <code>INSTALLED_APPS</code>.</li>',
    '<li>Before going live, read the README on settings per environment, <code>DEBUG</code>, <code>ALLOWED_HOSTS</code> and <code>SECRET_KEY</code>, and run <code>check --deploy</code>.</li>',
    '</ul>',
    '</section>',
  ];
  return htmlDocument('Reinhardt: it works', body.join('\n'));
}

export function renderWelcomeText(version: string): string {
  return [
    `Reinhardt ${version} is up and running.`,
    '',
    'This page is here because DEBUG = true in your settings and your URLconf has no URL patterns yet.',
    "Add views with path() in the urlpatterns of the module named by ROOT_URLCONF, and run 'check --deploy' before going live.",
    '',
  ].join('\n');
}
