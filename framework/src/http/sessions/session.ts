/**
 * request.session: Django's SessionBase as a typed key-value store. Data is loaded on first use
 * (a request that never reads its session pays nothing, not even a signature check), `modified`
 * says whether the cookie must be written again, and `accessed` whether the response depends on
 * the cookie (Vary: Cookie).
 *
 * As in Django, changing a stored object in place is not seen: set it again, or set
 * `session.modified = true`.
 */
import type { LoadedSettings } from '../../conf/settings-types.js';
import type { SessionData, SessionEngine } from './engine.js';
import { assertJsonData, type JsonValue } from './json-data.js';

/** Where a custom expiry lives in the data, under Django's name so Django sites read it too. */
export const EXPIRY_KEY = '_session_expiry';

export class Session {
  /** The data changed (or the key must be renewed): the middleware writes the cookie. */
  modified = false;
  /** The data was read or written: the response varies with the cookie. */
  accessed = false;

  readonly #engine: SessionEngine;
  readonly #settings: LoadedSettings;
  #key: string | undefined;
  #data: Map<string, JsonValue> | undefined;
  /** Server-side keys to forget when the response is saved (flush, cycleKey). */
  readonly #stale: string[] = [];

  /**
   * `sessionKey` is the cookie's value; `preloaded` the data a server-side engine already loaded
   * for it (undefined: not loaded yet, or nothing found).
   */
  constructor(engine: SessionEngine, settings: LoadedSettings, sessionKey: string | undefined, preloaded?: SessionData | null) {
    this.#engine = engine;
    this.#settings = settings;
    this.#key = sessionKey === '' ? undefined : sessionKey;
    if (preloaded !== undefined) this.#adopt(preloaded);
  }

  /** The cookie value (client-side engines) or the store's key; undefined for a new session. */
  get sessionKey(): string | undefined {
    return this.#key;
  }

  #adopt(data: SessionData | null): void {
    if (data === null) {
      // Nothing behind the cookie (tampered, expired, unknown): a new, empty session. The
      // middleware then deletes the stale cookie instead of keeping it.
      this.#key = undefined;
      this.#data = new Map();
    } else {
      this.#data = new Map(Object.entries(data));
    }
  }

  #load(): Map<string, JsonValue> {
    this.accessed = true;
    if (this.#data) return this.#data;
    if (this.#key === undefined) {
      this.#data = new Map();
      return this.#data;
    }
    const loaded = this.#engine.load(this.#key);
    if (loaded instanceof Promise) {
      throw new Error(`The session engine '${this.#engine.name}' loads asynchronously; it must say serverSide: true so the middleware preloads it.`);
    }
    this.#adopt(loaded ?? null);
    return this.#data!;
  }

  get<T extends JsonValue = JsonValue>(key: string): T | undefined;
  get<T extends JsonValue = JsonValue, D = T>(key: string, fallback: D): T | D;
  get(key: string, fallback?: unknown): unknown {
    const data = this.#load();
    return data.has(key) ? data.get(key) : fallback;
  }

  /** Store a JSON value (a TypeError names the key if it is not JSON data). */
  set(key: string, value: JsonValue): this {
    assertJsonData(key, value);
    this.#load().set(key, value);
    this.modified = true;
    return this;
  }

  has(key: string): boolean {
    return this.#load().has(key);
  }

  /** Remove a key; true if it was there. */
  delete(key: string): boolean {
    const removed = this.#load().delete(key);
    if (removed) this.modified = true;
    return removed;
  }

  /** Remove a key and answer its value (or `fallback`). */
  pop<T extends JsonValue = JsonValue, D = undefined>(key: string, fallback?: D): T | D {
    const data = this.#load();
    if (!data.has(key)) return fallback as D;
    const value = data.get(key) as T;
    data.delete(key);
    this.modified = true;
    return value;
  }

  /** The value under `key`, storing `value` there first if there is none. */
  setDefault<T extends JsonValue>(key: string, value: T): T {
    const data = this.#load();
    if (data.has(key)) return data.get(key) as T;
    this.set(key, value);
    return value;
  }

  update(values: Readonly<Record<string, JsonValue>>): this {
    for (const [k, v] of Object.entries(values)) assertJsonData(k, v);
    const data = this.#load();
    for (const [k, v] of Object.entries(values)) data.set(k, v);
    this.modified = true;
    return this;
  }

  keys(): string[] {
    return [...this.#load().keys()];
  }

  entries(): [string, JsonValue][] {
    return [...this.#load().entries()];
  }

  get size(): number {
    return this.#load().size;
  }

  /** True when there is no session at all: no key and no data (without loading anything). */
  isEmpty(): boolean {
    return this.#key === undefined && (this.#data === undefined || this.#data.size === 0);
  }

  /** Empty the session but keep its key. */
  clear(): void {
    this.accessed = true;
    this.#data = new Map();
    this.modified = true;
  }

  /**
   * Forget everything: the data, and the key (a server-side store drops it; the cookie is
   * deleted). For logging out.
   */
  flush(): void {
    this.clear();
    if (this.#key !== undefined && this.#engine.serverSide) this.#stale.push(this.#key);
    this.#key = undefined;
  }

  /**
   * Keep the data under a new key, so a key seen before (say, before logging in) is worthless
   * afterwards. With signed cookies the value is signed again (a new timestamp).
   */
  cycleKey(): void {
    this.#load();
    if (this.#key !== undefined && this.#engine.serverSide) {
      this.#stale.push(this.#key);
      this.#key = undefined;
    }
    this.modified = true;
  }

  /**
   * A custom lifetime: seconds of inactivity (0: until the browser closes), a Date to end at, or
   * null for SESSION_COOKIE_AGE and SESSION_EXPIRE_AT_BROWSER_CLOSE again.
   */
  setExpiry(value: number | Date | null): void {
    if (value === null) {
      this.delete(EXPIRY_KEY);
      return;
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new RangeError('setExpiry() got an invalid Date.');
      this.set(EXPIRY_KEY, value.toISOString());
      return;
    }
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`setExpiry() takes whole seconds >= 0, a Date or null, not ${value}.`);
    this.set(EXPIRY_KEY, value);
  }

  /** Seconds until the session expires. */
  getExpiryAge(now: number = Date.now()): number {
    return expiryAge(this.get(EXPIRY_KEY), this.#settings.SESSION_COOKIE_AGE, now);
  }

  getExpiryDate(now: number = Date.now()): Date {
    return new Date(now + this.getExpiryAge(now) * 1000);
  }

  /** Whether the cookie lasts only until the browser closes. */
  getExpireAtBrowserClose(): boolean {
    const expiry = this.get(EXPIRY_KEY);
    if (expiry === undefined || expiry === null) return this.#settings.SESSION_EXPIRE_AT_BROWSER_CLOSE;
    return expiry === 0;
  }

  /**
   * Keep the data through the engine and answer the cookie value. Called by the middleware;
   * also drops the keys that flush() and cycleKey() left behind.
   */
  async save(): Promise<string> {
    for (const key of this.#stale.splice(0)) await this.#engine.delete(key);
    const data = Object.fromEntries(this.#load()) as SessionData;
    this.#key = await this.#engine.save(data, this.#key, this.getExpiryAge());
    return this.#key;
  }

  /** For a flushed session whose cookie is deleted: drop its server-side keys. */
  async forget(): Promise<void> {
    for (const key of this.#stale.splice(0)) await this.#engine.delete(key);
  }
}

/**
 * Seconds a session with this stored expiry has left: a positive number is seconds of
 * inactivity, an ISO date a fixed end, anything else (absent, 0 for browser close) the default.
 */
export function expiryAge(expiry: unknown, defaultAge: number, now: number): number {
  if (typeof expiry === 'number' && expiry > 0) return expiry;
  if (typeof expiry === 'string') {
    const end = Date.parse(expiry);
    if (!Number.isNaN(end)) return Math.max(0, Math.floor((end - now) / 1000));
  }
  return defaultAge;
}
