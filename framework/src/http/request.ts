/**
 * The request a view receives: Django's HttpRequest over Fastify's request. Parsing is lazy (GET,
 * POST, COOKIES are built on first use) so requests that never look at them pay nothing.
 */
import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { LoadedSettings } from '../conf/settings-types.js';
import { ImproperlyConfigured } from '../errors.js';
import type { RouteParams } from '../urls/patterns.js';
import type { MessageStorage } from '../messages/storage.js';
import type { CsrfState } from './csrf/state.js';
import { QueryDict } from './query-dict.js';
import { bodyErrorOf } from './request-bodies.js';
import { originForm } from './request-target.js';
import type { Session } from './sessions/session.js';
import { readSignedCookie, type GetSignedCookieOptions } from './signed-cookies.js';

export interface ResolverMatchInfo {
  /** The full route: 'stores/<int:store_id>/'. */
  readonly route: string;
  /** 'stores:detail' or undefined. */
  readonly name: string | undefined;
  readonly params: RouteParams;
}

/** Per-request values the framework computes once (host check, TLS) and keeps on Fastify's request. */
export interface RequestState {
  /** The Host validated against ALLOWED_HOSTS (set by the host check before anything else runs). */
  host?: string;
  secure?: boolean;
  /**
   * Why Fastify could not read or parse the body (request-bodies.ts): request.body, and a POSTed
   * form's request.POST, throw the framework's error for it (bodyErrorOf) when read.
   */
  bodyFailure?: unknown;
}

/** Makes a middleware's per-request state when a request first needs it. */
export interface StateSource<T> {
  open(request: HttpRequest): T;
}

function isFormType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.trimStart().toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** Whether Django's request.POST reads the body of this type: a urlencoded form, or multipart. */
function readsAsForm(contentType: string | undefined): boolean {
  return isFormType(contentType) || (contentType !== undefined && contentType.trimStart().toLowerCase().startsWith('multipart/form-data'));
}

const NO_COOKIES: Readonly<Record<string, string | undefined>> = Object.freeze(Object.create(null) as Record<string, string | undefined>);

export class HttpRequest {
  readonly raw: FastifyRequest;
  readonly settings: LoadedSettings;
  readonly method: string;
  /** The path as received, percent-encoded, without the query string. */
  readonly rawPath: string;
  /** The request target in origin form: path and query string. */
  readonly #target: string;
  resolverMatch: ResolverMatchInfo | undefined;
  #attributes: Map<string | symbol, unknown> | undefined;
  #cookies: Readonly<Record<string, string | undefined>> | undefined;
  private getDict: QueryDict | undefined;
  private postDict: QueryDict | undefined;
  private decodedPath: string | undefined;
  /**
   * Per-request state of the 'sessions', 'csrf' and 'messages' middleware, made on first use from
   * a source the middleware hands over (one shared object, nothing allocated per request): a
   * request that never touches its session, token or messages pays for none of them.
   */
  sessionSource: StateSource<Session> | undefined;
  csrfSource: StateSource<CsrfState> | undefined;
  messageSource: StateSource<MessageStorage> | undefined;
  #session: Session | undefined;
  #csrf: CsrfState | undefined;
  #messages: MessageStorage | undefined;

  constructor(raw: FastifyRequest, settings: LoadedSettings) {
    this.raw = raw;
    this.settings = settings;
    this.method = raw.method;
    const target = originForm(raw.url);
    this.#target = target;
    const q = target.indexOf('?');
    this.rawPath = q === -1 ? target : target.slice(0, q);
  }

  /** Free slots for middleware and views (Django sets attributes on the request); made on first use. */
  get attributes(): Map<string | symbol, unknown> {
    this.#attributes ??= new Map();
    return this.#attributes;
  }

  /** The decoded path ('/caf\u00e9/'); the raw one if its encoding is broken. */
  get path(): string {
    if (this.decodedPath === undefined) {
      try {
        this.decodedPath = decodeURIComponent(this.rawPath);
      } catch {
        this.decodedPath = this.rawPath;
      }
    }
    return this.decodedPath;
  }

  /** The query string, without '?' ('' when none). */
  get queryString(): string {
    const q = this.#target.indexOf('?');
    return q === -1 ? '' : this.#target.slice(q + 1);
  }

  /**
   * The query string's fields. More than DATA_UPLOAD_MAX_NUMBER_FIELDS throws TooManyFieldsSent
   * (a 400, logged on 'reinhardt.security.TooManyFieldsSent'), as in Django.
   */
  get GET(): QueryDict {
    this.getDict ??= new QueryDict(this.queryString, { maxFields: this.settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, source: 'The query string' });
    return this.getDict;
  }

  /**
   * The fields of a POST's urlencoded form, limited as GET is; empty for other bodies and, as in
   * Django, for other methods (a PUT's form is in request.body).
   */
  get POST(): QueryDict {
    if (!this.postDict) {
      // A form Django would read the body for (a POST) cannot be had: RequestDataTooBig and the rest.
      const failure = existingState(this.raw)?.bodyFailure;
      if (failure !== undefined && this.method === 'POST' && readsAsForm(this.raw.headers['content-type'])) throw this.#bodyError(failure);
      const body = this.raw.body;
      // request-bodies.ts: an object of its fields, or the string itself when it had too many.
      const form = this.method === 'POST' && (typeof body === 'string' || (typeof body === 'object' && body !== null && !Buffer.isBuffer(body))) && isFormType(this.raw.headers['content-type']);
      this.postDict = new QueryDict(form ? (body as string | Record<string, unknown>) : null, {
        maxFields: this.settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        source: 'The form body',
      });
    }
    return this.postDict;
  }

  /**
   * The body as read (request-bodies.ts): an object of its fields for a form (the string that
   * arrived if it has more than DATA_UPLOAD_MAX_NUMBER_FIELDS), the parsed value for JSON, a
   * string for text/plain, the Buffer that arrived for any other type or none; undefined when
   * the body is empty. A body that could not be read or parsed throws why, as Django's does when
   * first read: RequestDataTooBig over DATA_UPLOAD_MAX_MEMORY_SIZE (a 400), BadRequest for
   * malformed JSON or a body shorter than its Content-Length, UnsupportedMediaType (a 415).
   */
  get body(): unknown {
    const failure = existingState(this.raw)?.bodyFailure;
    if (failure !== undefined) throw this.#bodyError(failure);
    return this.raw.body;
  }

  /** Made where the body is read, so that a traceback shows the code that read it. */
  #bodyError(failure: unknown): Error {
    return bodyErrorOf(failure, this.settings) ?? new Error('The request body could not be read.', { cause: failure });
  }

  /**
   * The request's cookies, parsed on first use by @fastify/cookie's parser (registered without
   * its per-request hook: most requests never read a cookie).
   */
  get COOKIES(): Readonly<Record<string, string | undefined>> {
    if (!this.#cookies) {
      const raw = this.raw as FastifyRequest & { cookies?: Record<string, string | undefined> };
      const header = raw.headers.cookie;
      this.#cookies = raw.cookies ?? (header ? raw.server.parseCookie(header) : NO_COOKIES);
    }
    return this.#cookies;
  }

  /**
   * The value of a cookie set with `response.setSignedCookie()` (Django's get_signed_cookie).
   * A cookie that is missing, tampered with, signed for another name or salt, or older than
   * `maxAge` seconds answers `default` (undefined unless given); with `strict`, a bad or expired
   * signature throws BadSignature or SignatureExpired instead.
   *
   * @example
   * const store = request.getSignedCookie('favourite_store', { salt: 'stores', maxAge: 86400 });
   */
  getSignedCookie(name: string, options?: GetSignedCookieOptions<undefined>): string | undefined;
  getSignedCookie<D>(name: string, options: GetSignedCookieOptions<D> & { default: D }): string | D;
  getSignedCookie<D>(name: string, options: GetSignedCookieOptions<D> = {}): string | D | undefined {
    return readSignedCookie(this.settings, name, this.COOKIES[name], options);
  }

  /** The session; needs the 'sessions' middleware (Django's request.session). */
  get session(): Session {
    if (!this.#session) {
      if (!this.sessionSource) {
        throw new ImproperlyConfigured(
          "request.session needs the 'sessions' middleware: add 'sessions' to MIDDLEWARE (before 'csrf' and 'messages').",
        );
      }
      this.#session = this.sessionSource.open(this);
    }
    return this.#session;
  }

  set session(session: Session) {
    this.#session = session;
  }

  /** Whether this request's session was opened (read, written, or loaded by a server-side engine). */
  hasSession(): boolean {
    return this.#session !== undefined;
  }

  /** The 'csrf' middleware's state for this request (made on first use); undefined without it. */
  get csrf(): CsrfState | undefined {
    if (!this.#csrf && this.csrfSource) this.#csrf = this.csrfSource.open(this);
    return this.#csrf;
  }

  /** Whether the CSRF state was made (a token used, or an unsafe method checked). */
  hasCsrf(): boolean {
    return this.#csrf !== undefined;
  }

  /** The 'messages' middleware's storage (made on first use); read it with getMessages() from reinhardt/messages. */
  get messageStorage(): MessageStorage | undefined {
    if (!this.#messages && this.messageSource) this.#messages = this.messageSource.open(this);
    return this.#messages;
  }

  /** Whether the message storage was made (a message added, or the messages read). */
  hasMessageStorage(): boolean {
    return this.#messages !== undefined;
  }

  /**
   * The CSRF token for a form or an AJAX header (Django's get_token): masked anew on every call,
   * so it never repeats in a page, and its cookie is sent with the response. Needs the 'csrf'
   * middleware. Templates get it as `it.csrfToken` (and `it.csrfInput`) from the 'csrf' context
   * processor.
   */
  csrfToken(): string {
    if (!this.csrf) {
      throw new ImproperlyConfigured("A CSRF token needs the 'csrf' middleware: add 'csrf' to MIDDLEWARE.");
    }
    return this.csrf.token();
  }

  get headers(): IncomingHttpHeaders {
    return this.raw.headers;
  }

  header(name: string): string | undefined {
    const v = this.raw.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  /** The client's address (the socket peer; proxies are not trusted unless configured). */
  get remoteAddr(): string {
    return this.raw.ip;
  }

  private get state(): RequestState {
    return requestState(this.raw);
  }

  /**
   * The port the client connected to: X-Forwarded-Port when USE_X_FORWARDED_PORT (behind a
   * proxy that sets it), else the server socket's own port.
   */
  getPort(): string {
    if (this.settings.USE_X_FORWARDED_PORT) {
      const forwarded = this.header('x-forwarded-port');
      if (forwarded) return forwarded.split(',')[0]!.trim();
    }
    return String(this.raw.socket?.localPort ?? '');
  }

  /** The Host header, already validated against ALLOWED_HOSTS. */
  getHost(): string {
    return this.state.host ?? this.raw.host;
  }

  isSecure(): boolean {
    return this.state.secure ?? this.raw.protocol === 'https';
  }

  get scheme(): 'http' | 'https' {
    return this.isSecure() ? 'https' : 'http';
  }

  /** Path with query string, e.g. '/stores/?page=2'. */
  getFullPath(): string {
    return this.#target;
  }

  /** An absolute URI for `location` (default: this request's full path). */
  buildAbsoluteUri(location?: string): string {
    const base = `${this.scheme}://${this.getHost()}`;
    if (location === undefined) return base + this.getFullPath();
    return new URL(location, base + this.rawPath).href;
  }

  /** Whether the client accepts `mime` (by the Accept header; a missing header accepts everything). */
  accepts(mime: string): boolean {
    const accept = this.header('accept');
    if (!accept) return true;
    const [type] = mime.split('/');
    return accept
      .split(',')
      .map((part) => part.split(';')[0]?.trim().toLowerCase())
      .some((m) => m === mime || m === '*/*' || m === `${type}/*`);
  }
}

const kState = Symbol('reinhardt.requestState');
type WithState = FastifyRequest & { [kState]?: RequestState };

/**
 * The framework's per-request state on a Fastify request, made by the host check (the first
 * hook) with every field, so that all requests share one shape. A symbol rather than a request
 * decorator: Fastify copies each decorator onto every request through a keyed store, measured at
 * 840 instructions a request (scripts/bench/instructions.sh).
 */
export function requestState(raw: FastifyRequest): RequestState {
  return ((raw as WithState)[kState] ??= { host: undefined, secure: undefined, bodyFailure: undefined });
}

/** The state if a hook made it already (a request answered before the host check has none). */
function existingState(raw: FastifyRequest): RequestState | undefined {
  return (raw as WithState)[kState];
}
