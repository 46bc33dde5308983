/**
 * The DEBUG page for a CSRF failure (Django's csrf_failure view with DEBUG on): the reason, and
 * what usually causes it. With DEBUG off the funnel sends the site's 403_csrf.html, its 403.html
 * or the plain 403 page instead, none of which explain anything to the visitor.
 */
import type { CsrfFailure } from '../../errors.js';
import type { HttpRequest } from '../request.js';
import { HttpResponse } from '../response.js';
import { REASON_NO_CSRF_COOKIE, REASON_NO_REFERER } from '../csrf/reasons.js';
import { escapeHtml as e } from './escape.js';
import { htmlDocument, metaTable } from './layout.js';
import { frameworkVersion } from './report-data.js';
import { attempt } from './values.js';

const CAUSES = [
  "The form's template does not print the token: put <%~ it.csrfInput %> inside the <form>, and make sure the view renders the page with render(request, ...) so the 'csrf' context processor runs.",
  "The 'csrf' middleware sets the cookie when a page uses a token: a form on a page that never called csrfToken() (a cached or static page) posts without one.",
  "JavaScript that posts must send the token in the CSRF_HEADER_NAME header (X-CSRFToken by default), read from the page or the csrftoken cookie.",
  'The view answered with a page that was built for another visitor (a shared cache without Vary: Cookie).',
  'The form posts from another origin: add that origin, with its scheme, to CSRF_TRUSTED_ORIGINS if you trust it.',
];

function hint(reason: string): string | undefined {
  if (reason === REASON_NO_REFERER) {
    return 'This site is served over HTTPS and requires the browser to send a Referer header for unsafe requests, but none was sent. ' +
      'Browsers send it for same-origin forms unless told not to: check for a Referrer-Policy of no-referrer, <meta name="referrer"> tags ' +
      'or rel="noreferrer" links on the page that posts, and for extensions or proxies that strip the header.';
  }
  if (reason === REASON_NO_CSRF_COOKIE) {
    return 'The form was posted without the CSRF cookie. The browser may refuse cookies for this site, or the cookie was never sent: ' +
      'it is set by the response of the page that shows the form, when that page prints a token.';
  }
  return undefined;
}

export function technicalCsrfResponse(request: HttpRequest, err: CsrfFailure): HttpResponse {
  const reason = err.reason;
  const extra = hint(reason);
  const body = [
    '<header id="summary">\n<h1>Forbidden <small>(403)</small></h1>',
    '<p>CSRF verification failed. Request aborted.</p>',
    `<pre class="value">${e(reason)}</pre>`,
    metaTable([
      ['Request Method:', attempt(() => request.method, () => undefined)],
      ['Request URL:', attempt(() => request.path, () => undefined)],
      ['Reinhardt Version:', frameworkVersion()],
    ]),
    '</header>',
    extra ? `<section id="hint"><p>${e(extra)}</p></section>` : '',
    '<section id="info">\n<h2>Common causes</h2>\n<ul>',
    ...CAUSES.map((c) => `<li>${e(c)}</li>`),
    '</ul>\n</section>',
    "<footer id=\"explanation\"><p>You're seeing this page because DEBUG = true in your Reinhardt settings. With DEBUG false the " +
      'visitor sees the 403_csrf.html template (or 403.html) instead.</p></footer>',
  ];
  return new HttpResponse(htmlDocument('403 Forbidden', body.filter(Boolean).join('\n')), { status: 403 });
}
