/**
 * One request's CSRF secret, read lazily: a request that neither shows a form nor posts one never
 * reads the cookie. token() is Django's get_token, rotate() its rotate_token; `needsUpdate` tells
 * the middleware to send the cookie (a new secret, a renewed expiry, or an old masked format).
 */
import type { HttpRequest } from '../request.js';
import { maskSecret, newCsrfSecret, toSecret, tokenFormatProblem } from './tokens.js';

/** Where the secret lives with CSRF_USE_SESSIONS: Django's key, so both read it. */
export const CSRF_SESSION_KEY = '_csrftoken';

export interface CsrfSource {
  readonly useSessions: boolean;
  readonly cookieName: string;
}

export class CsrfState {
  /** Send the cookie (or store the secret in the session) with the response. */
  needsUpdate = false;
  readonly #request: HttpRequest;
  readonly #source: CsrfSource;
  /** The secret this request uses; undefined until first needed. */
  #secret: string | undefined;

  constructor(request: HttpRequest, source: CsrfSource) {
    this.#request = request;
    this.#source = source;
  }

  /**
   * The secret the client sent (cookie or session), as a bare secret; null when there is none.
   * A malformed cookie throws CsrfCookieFormatError with Django's reason ('has incorrect length').
   */
  received(): string | null {
    if (this.#source.useSessions) {
      const value = this.#request.session.get(CSRF_SESSION_KEY);
      return typeof value === 'string' && tokenFormatProblem(value) === undefined ? toSecret(value) : null;
    }
    const cookie = this.#request.COOKIES[this.#source.cookieName];
    if (cookie === undefined) return null;
    const problem = tokenFormatProblem(cookie);
    if (problem) throw new CsrfCookieFormatError(problem);
    return toSecret(cookie);
  }

  /** The secret for this request's tokens: the client's, or a new one (then sent back). */
  secret(): string {
    if (this.#secret === undefined) {
      let received: string | null;
      try {
        received = this.received();
      } catch (err) {
        if (!(err instanceof CsrfCookieFormatError)) throw err;
        received = null;
      }
      if (received === null) {
        this.#secret = newCsrfSecret();
        this.needsUpdate = true;
      } else {
        this.#secret = received;
        // A pre-4.1 masked cookie is rewritten in the bare format.
        if (this.#request.COOKIES[this.#source.cookieName]?.length !== received.length && !this.#source.useSessions) this.needsUpdate = true;
      }
    }
    return this.#secret;
  }

  /** A masked token for a form or header; its use renews the cookie. */
  token(): string {
    const secret = this.secret();
    // Using the token renews the cookie's expiry, as Django does.
    this.needsUpdate = true;
    return maskSecret(secret);
  }

  /** A new secret for this client (on login: a token seen before is worthless afterwards). */
  rotate(): void {
    this.#secret = newCsrfSecret();
    this.needsUpdate = true;
  }
}

/** A malformed CSRF cookie; `reason` is Django's phrase for it. */
export class CsrfCookieFormatError extends Error {
  constructor(readonly reason: string) {
    super(`CSRF cookie ${reason}.`);
  }
}
