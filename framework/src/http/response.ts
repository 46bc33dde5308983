/**
 * Responses a view returns. Headers are case-insensitive; cookies are queued and written through
 * @fastify/cookie when the response is sent.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { DisallowedRedirect } from '../errors.js';
import { checkedCookieOptions } from './cookie-check.js';

export interface CookieOptions {
  /** Seconds. */
  maxAge?: number;
  expires?: Date;
  path?: string;
  domain?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: 'Lax' | 'Strict' | 'None' | false;
}

export interface QueuedCookie {
  readonly name: string;
  readonly value: string;
  readonly options: CookieOptions;
  /** Set by setSignedCookie: the value is signed with SECRET_KEY under this salt when sent. */
  readonly signSalt?: string;
}

export interface ResponseInit {
  status?: number;
  contentType?: string;
  headers?: Readonly<Record<string, string>>;
}

/**
 * Header names are kept lowercase, as Fastify writes them (and HTTP/2 requires). A name a site
 * uses is checked and lowercased once: the same few names are set on every response, and
 * lowercasing them each time made a new string per header per response that the HTTP layer then
 * had to look up again as a property name.
 *
 * Names and values are checked when they are set, with Node's own rules (a name must be an HTTP
 * token; a value may not hold control characters), so that a bad header fails in the code that
 * set it, and what reaches the socket can no longer be refused by writeHead (send.ts writes past
 * Fastify's reply, where a late refusal would leave the client without an answer).
 */
const headerKeys = new Map<string, string>();
const MAX_HEADER_KEYS = 1000;
const NEWLINE = /[\r\n]/;

function headerKey(name: string): string {
  return headerKeys.get(name) ?? newHeaderKey(name, nameProblem(name) === undefined);
}

/** Only names that can be sent are remembered (set() refuses the others). */
function newHeaderKey(name: string, sendable: boolean): string {
  const key = name.toLowerCase();
  if (sendable && headerKeys.size < MAX_HEADER_KEYS) headerKeys.set(name, key);
  return key;
}

/**
 * Headers that would break the message framing the server writes: a Transfer-Encoding next to the
 * Content-Length it sends, a Trailer (Node refuses the whole response: trailers need chunked
 * encoding), TE and Keep-Alive, which are the server's. A Connection header may only say 'close'
 * (a view may end the connection; 'keep-alive' or 'upgrade' would override the client's).
 * Upgrade (a 426) and Proxy-Authenticate (a 407) are a response's to send.
 */
const SERVER_HEADERS = new Set(['keep-alive', 'te', 'trailer', 'trailers', 'transfer-encoding']);

function serverHeaderError(name: string): TypeError {
  return new TypeError(`Header ${JSON.stringify(name)} belongs to the connection, which the server manages; a response cannot set it.`);
}

/** Why a name cannot be sent, or undefined. */
function nameProblem(name: string): Error | undefined {
  if (NEWLINE.test(name)) return newlineError(name);
  try {
    validateHeaderName(name);
  } catch (err) {
    return err as Error;
  }
  return SERVER_HEADERS.has(name.toLowerCase()) ? serverHeaderError(name) : undefined;
}

/** The key of a name about to be sent: a name that is not an HTTP token is refused. */
function sendableHeaderKey(name: string): string {
  const known = headerKeys.get(name);
  if (known !== undefined) return known;
  const problem = nameProblem(name);
  if (problem) throw problem;
  return newHeaderKey(name, true);
}

/**
 * Values that passed the check (most are the same few strings: content types, the security
 * headers): each check is a call through Node's validator and a regular expression, about 400
 * instructions, for every header of every response. Bounded like headerKeys, and only short
 * values: long ones are more likely to echo a request (a Location, a file name) than to repeat.
 */
const checkedValues = new Set<string>();
const MAX_CHECKED_VALUES = 1000;
const MAX_CHECKED_VALUE_LENGTH = 256;

/** A value Node would refuse (a control character, CR/LF, undefined) is refused here. */
function checkValue(name: string, value: string): void {
  if (checkedValues.has(value)) return;
  try {
    validateHeaderValue(name, value);
  } catch (err) {
    throw typeof value === 'string' && NEWLINE.test(value) ? newlineError(name) : err;
  }
  if (typeof value === 'string' && value.length <= MAX_CHECKED_VALUE_LENGTH && checkedValues.size < MAX_CHECKED_VALUES) {
    checkedValues.add(value);
  }
}

/** A value for `key` (sendableHeaderKey's answer) that may be sent; throws why not. */
function checkSendable(key: string, name: string, value: string): void {
  checkValue(name, value);
  if (key === 'connection' && String(value).trim().toLowerCase() !== 'close') {
    throw new TypeError(`Header ${JSON.stringify(name)} may only be 'close' (got ${JSON.stringify(value)}): the server manages the connection.`);
  }
}

function newlineError(name: string): TypeError {
  // Header splitting: refuse outright rather than letting the HTTP layer fold or drop it.
  return new TypeError(`Header ${JSON.stringify(name)} contains a newline; refusing to send it.`);
}

let headerListOf: (response: HttpResponse) => readonly string[];

export class HttpResponse {
  status: number;
  content: string | Buffer;
  /** Cookies to set, in order; use setCookie/setSignedCookie/deleteCookie to change them. */
  readonly cookies: QueuedCookie[] = [];
  /**
   * [lowercase name, value, name, value, ...] in the order set: a response has a handful of
   * headers, which a scan of this list finds for less than a Map (a Map per response, grown and
   * rehashed as the middleware add theirs, measured 3,500 instructions a request). A plain
   * (TypeScript-private) property, not a #field: a Proxy of a response, or a copy made with
   * Object.create/Object.assign, keeps working, as it did with the Map.
   */
  private readonly headerEntries: string[] = [];

  static {
    headerListOf = (response) => response.headerEntries;
  }

  constructor(content: string | Buffer = '', init: ResponseInit = {}) {
    this.content = content;
    this.status = init.status ?? 200;
    this.set('content-type', init.contentType ?? 'text/html; charset=utf-8');
    if (init.headers) for (const [k, v] of Object.entries(init.headers)) this.set(k, v);
  }

  private indexOfHeader(key: string): number {
    const list = this.headerEntries;
    for (let i = 0; i < list.length; i += 2) if (list[i] === key) return i;
    return -1;
  }

  get(name: string): string | undefined {
    const i = this.indexOfHeader(headerKey(name));
    return i === -1 ? undefined : this.headerEntries[i + 1];
  }

  set(name: string, value: string): this {
    const key = sendableHeaderKey(name);
    checkSendable(key, name, value);
    const i = this.indexOfHeader(key);
    if (i === -1) this.headerEntries.push(key, value);
    else this.headerEntries[i + 1] = value;
    return this;
  }

  /**
   * Set a header unless the response has it already (Django's setdefault): the middleware's way
   * to add a default a view may have set itself, in one look-up instead of has() then set().
   */
  setDefault(name: string, value: string): this {
    const key = sendableHeaderKey(name);
    if (this.indexOfHeader(key) === -1) {
      checkSendable(key, name, value);
      this.headerEntries.push(key, value);
    }
    return this;
  }

  has(name: string): boolean {
    return this.indexOfHeader(headerKey(name)) !== -1;
  }

  delete(name: string): this {
    const i = this.indexOfHeader(headerKey(name));
    if (i !== -1) this.headerEntries.splice(i, 2);
    return this;
  }

  /**
   * Headers for sending: [lowercase name, value], in the order they were first set. The headers
   * as they were when called: deleting or setting some while iterating skips none.
   */
  *headers(): IterableIterator<[string, string]> {
    const list = this.headerEntries.slice();
    for (let i = 0; i < list.length; i += 2) yield [list[i]!, list[i + 1]!];
  }

  setCookie(name: string, value: string, options: CookieOptions = {}): this {
    return this.queueCookie({ name, value, options: { path: '/', ...options } });
  }

  /**
   * A cookie the client cannot alter unnoticed (Django's set_signed_cookie): signed with
   * SECRET_KEY and the salt when the response is sent; read it with request.getSignedCookie().
   * The value is visible to the client: signing protects integrity, not secrecy.
   */
  setSignedCookie(name: string, value: string, options: CookieOptions & { salt?: string } = {}): this {
    const { salt = '', ...cookie } = options;
    return this.queueCookie({ name, value, options: { path: '/', ...cookie }, signSalt: salt });
  }

  /** The cookie this response will set under `name` (the last one queued), if any. */
  cookie(name: string): QueuedCookie | undefined {
    return this.cookies.findLast((c) => c.name === name);
  }

  private queueCookie(queued: QueuedCookie): this {
    const cookie = { ...queued, options: checkedCookieOptions(queued.name, queued.options) };
    // One Set-Cookie per name, path and domain, as a browser keeps them: a later call replaces.
    const same = this.cookies.findIndex(
      (c) => c.name === cookie.name && c.options.path === cookie.options.path && c.options.domain === cookie.options.domain,
    );
    if (same === -1) this.cookies.push(cookie);
    else this.cookies[same] = cookie;
    return this;
  }

  /** Expire a cookie in the browser (same path and domain as when it was set). */
  deleteCookie(name: string, options: Pick<CookieOptions, 'path' | 'domain' | 'sameSite' | 'secure'> = {}): this {
    const secure = options.secure ?? (name.startsWith('__Secure-') || name.startsWith('__Host-') || options.sameSite === 'None');
    return this.queueCookie({ name, value: '', options: { path: '/', ...options, secure, maxAge: 0, expires: new Date(0) } });
  }

  /** The body as text (for tests and middleware that inspect HTML). */
  text(): string {
    return typeof this.content === 'string' ? this.content : this.content.toString('utf8');
  }
}

/**
 * A response's headers as one flat list, [lowercase name, value, ...], for the code that sends it
 * (send.ts): read it, never change it. A subclass that overrides headers() is sent what its
 * headers() answers.
 */
export function headerList(response: HttpResponse): readonly string[] {
  if (response.headers === HttpResponse.prototype.headers) return headerListOf(response);
  // A name given twice is sent once, with its last value, as reply.header() does.
  return [...new Map(response.headers())].flat();
}

export class JsonResponse extends HttpResponse {
  constructor(data: unknown, init: ResponseInit & { safe?: boolean } = {}) {
    if ((init.safe ?? true) && (data === null || typeof data !== 'object' || Array.isArray(data))) {
      throw new TypeError('In order to allow non-object values to be serialized set the safe option to false.');
    }
    // JSON.stringify answers undefined (no JSON at all) for undefined, a function or a symbol,
    // where Django's json.dumps raises: a view's mistake, not an empty 200.
    const text = JSON.stringify(data) as string | undefined;
    if (text === undefined) throw new TypeError(`Object of type ${typeof data} is not JSON serializable`);
    super(text, { contentType: 'application/json', ...init });
  }
}

const ALLOWED_REDIRECT_SCHEMES = new Set(['http', 'https', 'ftp']);

export class HttpResponseRedirect extends HttpResponse {
  constructor(url: string, init: ResponseInit = {}) {
    super('', { status: 302, ...init });
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url.trim())?.[1]?.toLowerCase();
    if (scheme && !ALLOWED_REDIRECT_SCHEMES.has(scheme)) {
      throw new DisallowedRedirect(`Unsafe redirect to URL with protocol '${scheme}'`);
    }
    this.set('Location', iriToUri(url));
  }

  get url(): string {
    return this.get('Location') ?? '';
  }
}

/** What a URI may hold as it is: unreserved and reserved characters, and existing %XX escapes. */
const NOT_IN_URI = /[^A-Za-z0-9\-._~/#%[\]=:;$&()+,!?*@']+/g;

/**
 * Django's iri_to_uri: percent-encode (as UTF-8) what a URI cannot hold, and leave the rest,
 * escapes included, as it is ('/café/?q=%E9' -> '/caf%C3%A9/?q=%E9').
 */
function iriToUri(iri: string): string {
  return iri.replace(NOT_IN_URI, (text) => encodeURIComponent(text));
}

export class HttpResponsePermanentRedirect extends HttpResponseRedirect {
  constructor(url: string, init: ResponseInit = {}) {
    super(url, { ...init, status: 301 });
  }
}

export class HttpResponseNotModified extends HttpResponse {
  constructor() {
    super('', { status: 304 });
    this.delete('Content-Type');
  }
}

export class HttpResponseNotAllowed extends HttpResponse {
  constructor(permitted: readonly string[], content = '') {
    super(content, { status: 405 });
    this.set('Allow', permitted.map((m) => m.toUpperCase()).join(', '));
  }
}

const simple = (status: number) =>
  class extends HttpResponse {
    constructor(content: string | Buffer = '', init: ResponseInit = {}) {
      super(content, { ...init, status });
    }
  };

export const HttpResponseBadRequest = simple(400);
export const HttpResponseForbidden = simple(403);
export const HttpResponseNotFound = simple(404);
export const HttpResponseGone = simple(410);
export const HttpResponseServerError = simple(500);
