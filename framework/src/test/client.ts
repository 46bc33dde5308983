/**
 * Django's test Client on Fastify's inject(): requests go through the whole site (host check,
 * middleware, views, error funnel) without opening a socket. Cookies set by responses are kept
 * and sent back, like a browser, so sessions and CSRF work across requests.
 */
import type { LightMyRequestResponse } from 'fastify';
import { IncomingMessage } from 'node:http';
import { DONT_ENFORCE_CSRF_CHECKS } from '../http/csrf/exempt.js';
import type { ReinhardtApp } from '../http/app.js';

export interface ClientResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly text: string;
  json<T = unknown>(): T;
  header(name: string): string | undefined;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** A form body (sent urlencoded) or a JSON body. */
  data?: Record<string, string | readonly string[]>;
  json?: unknown;
  /** Follow redirects (GET), up to 10. */
  follow?: boolean;
}

/** 'testserver' like Django's test client; add it to ALLOWED_HOSTS in test settings. */
export const TEST_HOST = 'testserver';

export interface TestClientOptions {
  /** The Host header sent (TEST_HOST by default). */
  host?: string;
  /**
   * Check CSRF tokens as for a browser. Off by default, as in Django's test client: tests of a
   * form post its fields without fetching a token first. Turn it on to test the protection.
   */
  enforceCsrfChecks?: boolean;
}

/** The requests the test client makes when CSRF checks are off: marked as only in-process code can. */
class UncheckedRequest extends IncomingMessage {}
Object.defineProperty(UncheckedRequest.prototype, DONT_ENFORCE_CSRF_CHECKS, { value: true });

export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly app: ReinhardtApp,
    readonly defaults: TestClientOptions = {},
  ) {}

  get(path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    return this.request('GET', path, options);
  }

  head(path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    return this.request('HEAD', path, options);
  }

  post(path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    return this.request('POST', path, options);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    let response = await this.once(method, path, options);
    let hops = 0;
    while (options.follow && response.status >= 300 && response.status < 400 && hops++ < 10) {
      const location = response.header('location');
      if (!location) break;
      const next = new URL(location, `http://${this.defaults.host ?? TEST_HOST}${path}`);
      path = next.pathname + next.search;
      response = await this.once('GET', path, { headers: options.headers });
    }
    return response;
  }

  private async once(method: string, path: string, options: RequestOptions): Promise<ClientResponse> {
    const headers: Record<string, string> = { host: this.defaults.host ?? TEST_HOST, ...options.headers };
    if (this.cookies.size && !headers.cookie) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    let payload: string | undefined;
    if (options.data) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(options.data)) {
        for (const item of Array.isArray(v) ? v : [v]) form.append(k, item as string);
      }
      payload = form.toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (options.json !== undefined) {
      payload = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await this.app.fastify.inject({
      method: method as 'GET',
      url: path,
      headers,
      ...(payload === undefined ? {} : { payload }),
      ...(this.defaults.enforceCsrfChecks ? {} : { Request: UncheckedRequest }),
    });
    this.keepCookies(res);
    return toClientResponse(res);
  }

  private keepCookies(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now());
      if (expired || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }
}

function toClientResponse(res: LightMyRequestResponse): ClientResponse {
  return {
    status: res.statusCode,
    headers: res.headers,
    text: res.body,
    json: <T>() => JSON.parse(res.body) as T,
    header(name: string) {
      const v = res.headers[name.toLowerCase()];
      return Array.isArray(v) ? v.join(', ') : v === undefined ? undefined : String(v);
    },
  };
}
