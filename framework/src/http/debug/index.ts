/**
 * The DEBUG = true pages of Table 5-1 (Django's django/views/debug.py): the technical 500 page,
 * the technical 404 page with the URL patterns tried, the welcome page of a site with no URLs,
 * and the plain-text report that error mail reuses.
 *
 * Security core: settings are masked by name (recursively), request headers, cookies and form
 * fields by name, and then — past Django — the literal values of SECRET_KEY, its fallbacks and
 * every registered secret are redacted wherever they appear, before escaping and again over the
 * finished page.
 *
 * None of these functions throws. Each section degrades to a note on its own; if building the
 * whole page fails, a minimal page with the exception's type and (redacted) message is sent.
 */
import { redactSecrets } from '../../conf/mask.js';
import type { LoadedSettings } from '../../conf/settings-types.js';
import type { Http404 } from '../../errors.js';
import type { UrlResolver } from '../../urls/resolver.js';
import type { HttpRequest } from '../request.js';
import { HttpResponse } from '../response.js';
import { escapeHtml } from './escape.js';
import { renderHtmlReport } from './html.js';
import { collectNotFound, isWelcome, renderNotFoundHtml, renderNotFoundText, renderWelcomeHtml, renderWelcomeText } from './not-found.js';
import { createRedactor, type Redactor } from './redact.js';
import { collectReport } from './report-data.js';
import { renderTextReport } from './text.js';
import { attempt, describeFailure } from './values.js';

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';

/** Django 3.2: HTML for clients that accept it (a missing Accept header or a wildcard does), text otherwise. */
function wantsHtml(request: HttpRequest | undefined): boolean {
  return request === undefined || attempt(() => request.accepts('text/html'), () => true);
}

function redactorFor(settings: LoadedSettings): Redactor {
  return attempt(
    () => createRedactor(settings),
    () => ({ text: (s: string) => attempt(() => redactSecrets(s), () => ''), page: (s: string) => attempt(() => redactSecrets(s), () => '') }),
  );
}

/** The last resort when a whole page could not be built: type, message, and why. */
function minimalReport(err: unknown, failure: unknown, settings: LoadedSettings, html: boolean): string {
  const redactor = redactorFor(settings);
  const what = redactor.text(describeFailure(err));
  const why = redactor.text(describeFailure(failure));
  const text = `The error report could not be built (${why}).\n\nThe error was: ${what}\n`;
  if (!html) return text;
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Server error</title></head><body><pre>${escapeHtml(text)}</pre></body></html>\n`;
}

function buildReport(request: HttpRequest | undefined, err: unknown, settings: LoadedSettings, html: boolean, forEmail: boolean): string {
  try {
    const redactor = redactorFor(settings);
    const data = collectReport(request, err, settings, redactor);
    const out = html ? renderHtmlReport(data, { forEmail }) : renderTextReport(data, { forEmail });
    return redactor.page(out);
  } catch (failure) {
    return minimalReport(err, failure, settings, html);
  }
}

/**
 * The technical 500 page (status 500, or 400 for BadRequest and SuspiciousOperation): HTML when
 * the client accepts it, plain text otherwise.
 */
export function technical500Response(request: HttpRequest, err: unknown, settings: LoadedSettings, status: number): HttpResponse {
  const html = wantsHtml(request);
  const body = buildReport(request, err, settings, html, false);
  return new HttpResponse(body, { status, contentType: html ? HTML : TEXT });
}

/** The plain-text report, masked and redacted; the body of error mail. */
export function technicalTextReport(request: HttpRequest | undefined, err: unknown, settings: LoadedSettings): string {
  return buildReport(request, err, settings, false, true);
}

/** The HTML report, masked and redacted; for error mail's optional HTML alternative. */
export function technicalHtmlReport(request: HttpRequest | undefined, err: unknown, settings: LoadedSettings): string {
  return buildReport(request, err, settings, true, true);
}

/**
 * The technical 404 page (status 404): the URL patterns tried, or the message of an Http404 a view
 * raised. A site with no URL patterns answers '/' with the welcome page (status 200) instead.
 */
export function technical404Response(request: HttpRequest, err: Http404 | undefined, resolver: UrlResolver, settings: LoadedSettings): HttpResponse {
  const html = wantsHtml(request);
  const redactor = redactorFor(settings);
  try {
    const data = collectNotFound(request, err, resolver, settings, redactor);
    if (isWelcome(data)) {
      const page = html ? renderWelcomeHtml(data.version) : renderWelcomeText(data.version);
      return new HttpResponse(page, { status: 200, contentType: html ? HTML : TEXT });
    }
    const page = html ? renderNotFoundHtml(data) : renderNotFoundText(data);
    return new HttpResponse(redactor.page(page), { status: 404, contentType: html ? HTML : TEXT });
  } catch (failure) {
    const body = minimalReport(err, failure, settings, html);
    return new HttpResponse(body, { status: 404, contentType: html ? HTML : TEXT });
  }
}
