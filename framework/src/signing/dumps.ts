/**
 * dumps/loads: Django's signing.dumps/loads — a JSON value, optionally compressed, URL-safe
 * base64 encoded and signed with a TimestampSigner under the salt 'django.core.signing'.
 */
import type { Serializer } from './serializers.js';
import type { KeyOptions } from './site-keys.js';
import { TimestampSigner, type MaxAgeOptions } from './timestamp-signer.js';

export interface DumpsOptions extends KeyOptions {
  /** Namespace of the value; use a different salt for each purpose. Default 'django.core.signing'. */
  salt?: string;
  /** zlib-compress the JSON when that makes it shorter. */
  compress?: boolean;
  serializer?: Serializer;
  /** The clock, in milliseconds since the epoch (Date.now by default); for tests. */
  now?: () => number;
}

export interface LoadsOptions extends KeyOptions, MaxAgeOptions {
  salt?: string;
  serializer?: Serializer;
  now?: () => number;
}

const DEFAULT_SALT = 'django.core.signing';

/**
 * A URL-safe, signed, timestamped string holding `value` as JSON.
 *
 * @example
 * const token = dumps({ email: 'ann@example.com' }, { salt: 'newsletter.confirm' });
 * loads(token, { salt: 'newsletter.confirm', maxAge: 86400 }); // { email: 'ann@example.com' }
 */
export function dumps(value: unknown, options: DumpsOptions = {}): string {
  const signer = new TimestampSigner({ key: options.key, fallbackKeys: options.fallbackKeys, salt: options.salt ?? DEFAULT_SALT, now: options.now });
  return signer.signObject(value, { serializer: options.serializer, compress: options.compress });
}

/** The value of a dumps() string; BadSignature if tampered with, SignatureExpired if too old. */
export function loads(text: string, options: LoadsOptions = {}): unknown {
  const signer = new TimestampSigner({ key: options.key, fallbackKeys: options.fallbackKeys, salt: options.salt ?? DEFAULT_SALT, now: options.now });
  return signer.unsignObject(text, { serializer: options.serializer, maxAge: options.maxAge });
}
