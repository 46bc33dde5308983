/**
 * Session engines: where session data lives between requests. SESSION_ENGINE names one by a short
 * registered name ('signed-cookies', the default) or gives an imported factory.
 *
 * Two kinds fit the same interface:
 * - client-side (`serverSide: false`): the cookie value *is* the data, signed ('signed-cookies').
 *   Nothing is kept per process, so any number of instances serve a user. Loading is synchronous
 *   and happens only when a view first reads the session.
 * - server-side (`serverSide: true`): the cookie holds a random key and the engine keeps the data
 *   (a cache, Redis, a database). Its load may be asynchronous; the middleware awaits it before
 *   the view when the request carries a session cookie.
 */
import type { LoadedSettings } from '../../conf/settings-types.js';
import { LazyRegistry } from '../../utils/lazy-registry.js';
import type { JsonValue } from './json-data.js';

type MaybePromise<T> = T | Promise<T>;

/** Session data as stored: a plain object of JSON values. */
export type SessionData = { [key: string]: JsonValue };

export interface SessionEngine {
  readonly name: string;
  readonly serverSide: boolean;
  /**
   * The data for a session cookie's value, or undefined when there is none to be had (unknown
   * key, bad signature, expired). Never throws for bad client input. Client-side engines must
   * answer synchronously.
   */
  load(sessionKey: string): MaybePromise<SessionData | undefined>;
  /**
   * Keep `data` and answer the cookie value that finds it again: the signed data itself for
   * client-side engines; for server-side ones `sessionKey` (a new random key when undefined).
   * `expiryAge` is how many seconds the data must be kept.
   */
  save(data: SessionData, sessionKey: string | undefined, expiryAge: number): MaybePromise<string>;
  /** Forget a session (flush, cycleKey); a no-op for client-side engines. */
  delete(sessionKey: string): MaybePromise<void>;
}

export interface SessionEngineContext {
  readonly settings: LoadedSettings;
}

export type SessionEngineFactory = (ctx: SessionEngineContext) => SessionEngine;

const engines = new LazyRegistry<SessionEngineFactory>('session engine', 'an imported engine factory (ctx) => engine');

/** Register a short name for SESSION_ENGINE; the loader runs once, at boot, when the name is used. */
export function registerSessionEngine(name: string, load: () => Promise<SessionEngineFactory>): void {
  engines.register(name, load);
}

export function sessionEngineNames(): string[] {
  return engines.names();
}

registerSessionEngine('signed-cookies', async () => (await import('./signed-cookies.js')).signedCookiesEngine);

/** The engine SESSION_ENGINE names, built for these settings; an unknown name fails at boot. */
export async function createSessionEngine(settings: LoadedSettings): Promise<SessionEngine> {
  const factory = await engines.resolve(settings.SESSION_ENGINE, 'SESSION_ENGINE');
  return factory({ settings });
}
