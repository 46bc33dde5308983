/**
 * The request as the debug page and error mail show it, masked by name. Django 3.2 shows GET,
 * POST (minus sensitive_post_parameters), COOKIES and META unmasked when DEBUG is on; Reinhardt
 * masks in both modes, because the same report is mailed from production and pasted into issues:
 * - settings-style names (API|TOKEN|KEY|SECRET|PASS|SIGNATURE|COOKIE) in headers, cookies, query
 *   and form fields;
 * - plus credentials that those words miss: Authorization and Proxy-Authorization, session and
 *   CSRF cookies (whatever SESSION_COOKIE_NAME and CSRF_COOKIE_NAME say), 'credential' fields.
 * Every value then goes through the redactor, which masks secret values wherever they appear.
 */
import { MASK, SENSITIVE_NAME } from '../../conf/mask.js';
import type { LoadedSettings } from '../../conf/settings-types.js';
import type { HttpRequest } from '../request.js';
import type { Redactor } from './redact.js';
import { attempt, describeFailure, trimText } from './values.js';

export interface Pair {
  readonly name: string;
  readonly value: string;
}

/** A list section; `note` says why it is empty or partial. */
export interface PairList {
  readonly items: readonly Pair[];
  readonly note?: string | undefined;
}

export interface RequestData {
  readonly method: string;
  /** Absolute URL, sensitive query values masked. */
  readonly url: string;
  /** Decoded path, as Django's `at /path` shows it. */
  readonly path: string;
  readonly remoteAddr: string;
  readonly get: PairList;
  readonly post: PairList;
  readonly cookies: PairList;
  readonly headers: PairList;
}

const EXTRA_SENSITIVE = /AUTH|SESSION|CSRF|CREDENTIAL/i;

export function isSensitiveName(name: string, settings?: LoadedSettings): boolean {
  if (SENSITIVE_NAME.test(name) || EXTRA_SENSITIVE.test(name)) return true;
  if (!settings) return false;
  const own = attempt(
    () => [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.CSRF_HEADER_NAME],
    () => [] as unknown[],
  );
  return own.some((n) => typeof n === 'string' && n.toLowerCase() === name.toLowerCase());
}

function maskIfSensitive(name: string, value: string, settings: LoadedSettings): string {
  return value !== '' && isSensitiveName(name, settings) ? MASK : value;
}

function decodeName(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The query string with the values of sensitive names masked, everything else as sent. */
export function maskQueryString(query: string, settings: LoadedSettings): string {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq === -1) return part;
      const name = part.slice(0, eq);
      return isSensitiveName(decodeName(name), settings) && eq < part.length - 1 ? `${name}=${MASK}` : part;
    })
    .join('&');
}

function section(label: string, build: () => Pair[], redactor: Redactor): PairList {
  return attempt<PairList>(
    () => ({
      items: build().map((p) => ({ name: trimText(redactor.text(p.name), 500), value: trimText(redactor.text(p.value)) })),
    }),
    (err) => ({ items: [], note: `The ${label} could not be read: ${redactor.text(describeFailure(err))}` }),
  );
}

function fromMulti(entries: Iterable<[string, string]>, settings: LoadedSettings): Pair[] {
  const out: Pair[] = [];
  for (const [name, value] of entries) out.push({ name, value: maskIfSensitive(name, value, settings) });
  return out;
}

function postSection(request: HttpRequest, settings: LoadedSettings, redactor: Redactor): PairList {
  const list = section('POST data', () => fromMulti(request.POST, settings), redactor);
  if (list.items.length || list.note) return list;
  const type = attempt(() => request.header('content-type') ?? '', () => '');
  const body = attempt(() => request.body, () => undefined);
  if (body === undefined || body === null || body === '' || type.startsWith('application/x-www-form-urlencoded')) return list;
  // Django shows form fields only; other bodies (JSON, text) are named but not dumped.
  return { items: [], note: redactor.text(`The body (${type || 'no Content-Type'}) is not form data and is not shown.`) };
}

export function collectRequest(request: HttpRequest, settings: LoadedSettings, redactor: Redactor): RequestData {
  const method = attempt(() => request.method, () => '?');
  const url = attempt(
    () => {
      const query = request.queryString;
      return `${request.scheme}://${request.getHost()}${request.rawPath}${query ? `?${maskQueryString(query, settings)}` : ''}`;
    },
    () => attempt(() => request.rawPath, () => '(unknown URL)'),
  );
  return {
    method: redactor.text(String(method)),
    url: trimText(redactor.text(url), 4000),
    path: trimText(redactor.text(attempt(() => request.path, () => '')), 2000),
    remoteAddr: redactor.text(attempt(() => String(request.remoteAddr), () => '')),
    get: section('GET data', () => fromMulti(request.GET, settings), redactor),
    post: postSection(request, settings, redactor),
    cookies: section(
      'cookies',
      () =>
        Object.entries(request.COOKIES)
          .filter((e): e is [string, string] => typeof e[1] === 'string')
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, value]) => ({ name, value: maskIfSensitive(name, value, settings) })),
      redactor,
    ),
    headers: section(
      'headers',
      () =>
        Object.entries(request.headers)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, raw]) => {
            const value = Array.isArray(raw) ? raw.join(', ') : String(raw ?? '');
            return { name, value: maskIfSensitive(name, value, settings) };
          }),
      redactor,
    ),
  };
}
