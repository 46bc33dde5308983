/**
 * The request a view receives: Django's HttpRequest over Fastify's request. Parsing is lazy (GET,
 * POST, COOKIES are built on first use) so requests that never look at them pay nothing.
 */
import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { LoadedSettings } from '../conf/settings-types.js';
import type { RouteParams } from '../urls/patterns.js';
import { QueryDict } from './query-dict.js';

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
}

export class HttpRequest {
  readonly raw: FastifyRequest;
  readonly settings: LoadedSettings;
  readonly method: string;
  /** The path as received, percent-encoded, without the query string. */
  readonly rawPath: string;
  resolverMatch: ResolverMatchInfo | undefined;
  /** Free slots for middleware and views (Django sets attributes on the request). */
  readonly attributes = new Map<string | symbol, unknown>();
  private getDict: QueryDict | undefined;
  private postDict: QueryDict | undefined;
  private decodedPath: string | undefined;

  constructor(raw: FastifyRequest, settings: LoadedSettings) {
    this.raw = raw;
    this.settings = settings;
    this.method = raw.method;
    const q = raw.url.indexOf('?');
    this.rawPath = q === -1 ? raw.url : raw.url.slice(0, q);
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
    const q = this.raw.url.indexOf('?');
    return q === -1 ? '' : this.raw.url.slice(q + 1);
  }

  get GET(): QueryDict {
    this.getDict ??= new QueryDict(this.queryString);
    return this.getDict;
  }

  /** Form fields of a urlencoded POST body (other bodies: empty). */
  get POST(): QueryDict {
    if (!this.postDict) {
      const body = this.raw.body;
      const isForm = (this.raw.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      this.postDict = new QueryDict(isForm && body && typeof body === 'object' ? (body as Record<string, unknown>) : null);
    }
    return this.postDict;
  }

  /** The parsed body as Fastify gives it (object for JSON/forms, string or Buffer otherwise). */
  get body(): unknown {
    return this.raw.body;
  }

  get COOKIES(): Readonly<Record<string, string | undefined>> {
    return (this.raw as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies ?? {};
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
    return this.raw.url;
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

declare module 'fastify' {
  interface FastifyRequest {
    /** Reinhardt's per-request state; decorated with null at boot so every request has the same shape. */
    reinhardtState: RequestState | null;
  }
}

/** The framework's per-request state on a Fastify request. */
export function requestState(raw: FastifyRequest): RequestState {
  raw.reinhardtState ??= {};
  return raw.reinhardtState;
}
