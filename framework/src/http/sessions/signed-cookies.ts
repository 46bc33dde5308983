/**
 * 'signed-cookies', the default SESSION_ENGINE: the session data, as JSON, compressed and signed
 * in the cookie itself, byte for byte as Django's signed_cookies backend writes it (same salt,
 * same serialisation), so a Django site and a Reinhardt site that share SECRET_KEY share sessions.
 *
 * The data is signed, not encrypted: the client can read it (base64 of JSON). Keep nothing secret
 * in it. A stolen cookie stays valid until it expires; flush() cannot revoke it (no server state).
 *
 * Expiry: the signature's timestamp is the last save. A session expires SESSION_COOKIE_AGE seconds
 * after it, or after the session's own setExpiry() lifetime; Django's backend always uses
 * SESSION_COOKIE_AGE here (its ticket #19201), which cuts longer custom lifetimes short.
 */
import { BadSignature } from '../../errors.js';
import { isPlainObject } from '../../conf/setting-rules.js';
import { JSONSerializer } from '../../signing/serializers.js';
import { decodeObject } from '../../signing/signer.js';
import { TimestampSigner } from '../../signing/timestamp-signer.js';
import type { SessionData, SessionEngine, SessionEngineContext } from './engine.js';
import { EXPIRY_KEY } from './session.js';

/** Django's salt for this backend; part of every session signature. */
export const SIGNED_COOKIES_SALT = 'django.contrib.sessions.backends.signed_cookies';

export function signedCookiesEngine({ settings }: SessionEngineContext, now: () => number = Date.now): SessionEngine {
  const signer = new TimestampSigner({
    key: settings.SECRET_KEY,
    fallbackKeys: settings.SECRET_KEY_FALLBACKS,
    salt: SIGNED_COOKIES_SALT,
    now,
  });
  return {
    name: 'signed-cookies',
    serverSide: false,
    load(sessionKey) {
      let data: unknown;
      let signedAt: number;
      try {
        const { value, timestamp } = signer.unsignWithTimestamp(sessionKey);
        data = decodeObject(value, JSONSerializer);
        signedAt = timestamp;
      } catch (err) {
        if (err instanceof BadSignature) return undefined;
        throw err;
      }
      if (!isPlainObject(data)) return undefined;
      return isExpired(data[EXPIRY_KEY], signedAt, now() / 1000, settings.SESSION_COOKIE_AGE) ? undefined : (data as SessionData);
    },
    save(data) {
      return signer.signObject(data, { compress: true });
    },
    delete() {},
  };
}

function isExpired(expiry: unknown, signedAt: number, nowSeconds: number, defaultAge: number): boolean {
  if (typeof expiry === 'string') {
    const end = Date.parse(expiry);
    if (!Number.isNaN(end)) return nowSeconds * 1000 > end;
  }
  const age = typeof expiry === 'number' && expiry > 0 ? expiry : defaultAge;
  return nowSeconds - signedAt > age;
}
