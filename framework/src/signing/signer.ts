/**
 * Signer: `value:signature`, Django's format, where signature is the URL-safe base64 HMAC of the
 * value under a key derived from the secret and `salt + 'signer'`.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { BadSignature, ImproperlyConfigured } from '../errors.js';
import { constantTimeCompare } from './constant-time.js';
import { b64Decode, b64Encode } from './encoding.js';
import { pythonStrRepr } from './python-format.js';
import { hashAlgorithm, saltedHmac, type HashAlgorithm } from './salted-hmac.js';
import { JSONSerializer, type Serializer } from './serializers.js';
import { resolveKeys, type KeyOptions } from './site-keys.js';

export interface SignerOptions extends KeyOptions {
  /**
   * Namespaces the signature: a value signed for one salt never verifies for another. Defaults to
   * Django's class path ('django.core.signing.Signer'), so values interoperate with Django's.
   */
  salt?: string;
  /** Between value and signature; ':' by default. Must not be made only of URL-safe base64 characters. */
  sep?: string;
  /** hashlib name of the HMAC hash; 'sha256' by default, as in Django 3.1+. */
  algorithm?: HashAlgorithm;
}

export interface SignObjectOptions {
  serializer?: Serializer;
  /** zlib-compress the payload when that makes it shorter (marked with a leading '.'). */
  compress?: boolean;
}

export interface UnsignObjectOptions {
  serializer?: Serializer;
}

/**
 * Django refuses separators made only of these characters (the URL-safe base64 alphabet and,
 * through the `A-z` range, `[\]^` and backtick), because the separator is found by its last
 * occurrence and the signature itself is written in that alphabet. The optional final newline
 * copies Python's `$`, which also matches before a trailing newline, so the same separators are
 * refused on both sides.
 */
const SEP_UNSAFE = /^[A-z0-9\-_=]*\n?$/;

export class Signer {
  /** The salt Django derives from `django.core.signing.Signer`; part of every signature's key. */
  static readonly defaultSalt: string = 'django.core.signing.Signer';

  readonly salt: string;
  readonly sep: string;
  readonly algorithm: string;
  // Private so the secrets never show in util.inspect, logs or the debug page.
  readonly #key: string;
  readonly #fallbackKeys: readonly string[];

  constructor(options: SignerOptions = {}) {
    const sep = options.sep ?? ':';
    if (SEP_UNSAFE.test(sep)) {
      throw new ImproperlyConfigured(
        `Unsafe Signer separator: ${pythonStrRepr(sep)} (cannot be empty or consist of only A-z0-9-_=)`,
      );
    }
    const algorithm = options.algorithm || 'sha256';
    hashAlgorithm(algorithm); // fail now, naming the algorithm, rather than at the first sign()
    const { key, fallbackKeys } = resolveKeys(options);
    this.sep = sep;
    // `||` like Django's `salt or default`: an empty salt means the default one.
    this.salt = options.salt || (new.target as typeof Signer).defaultSalt;
    this.algorithm = algorithm;
    this.#key = key;
    this.#fallbackKeys = fallbackKeys;
  }

  /** The signature of `value` under `key` (SECRET_KEY unless given). */
  signature(value: string, key: string = this.#key): string {
    return b64Encode(saltedHmac(`${this.salt}signer`, value, key, this.algorithm));
  }

  /** `value + sep + signature`, always under the current key. */
  sign(value: string): string {
    return `${value}${this.sep}${this.signature(value)}`;
  }

  /**
   * The value, if its signature matches under the key or any fallback key; BadSignature
   * otherwise (never another error, whatever the input).
   */
  unsign(signedValue: string): string {
    if (typeof signedValue !== 'string') {
      throw new BadSignature(`Signed values are strings, not ${signedValue === null ? 'null' : typeof signedValue}`);
    }
    const at = signedValue.lastIndexOf(this.sep);
    if (at < 0) throw new BadSignature(`No "${this.sep}" found in value`);
    const value = signedValue.slice(0, at);
    const sig = signedValue.slice(at + this.sep.length);
    for (const key of [this.#key, ...this.#fallbackKeys]) {
      if (constantTimeCompare(sig, this.signature(value, key))) return value;
    }
    throw new BadSignature(`Signature "${sig}" does not match`);
  }

  /**
   * A signed, URL-safe form of any JSON value (Django's sign_object): serialised, optionally
   * compressed, base64 encoded, then signed. The compression marker is inside the signed part,
   * so nobody without the key can make the reader inflate a zip bomb.
   */
  signObject(value: unknown, options: SignObjectOptions = {}): string {
    let data = (options.serializer ?? JSONSerializer).dumps(value);
    let compressed = false;
    if (options.compress) {
      const deflated = deflateSync(data);
      // Django's rule, kept so the same input gives the same bytes: only if it saves 2+ bytes.
      if (deflated.length < data.length - 1) {
        data = deflated;
        compressed = true;
      }
    }
    return this.sign(`${compressed ? '.' : ''}${b64Encode(data)}`);
  }

  /** Reverse of signObject. */
  unsignObject(signedObject: string, options: UnsignObjectOptions = {}): unknown {
    return decodeObject(this.unsign(signedObject), options.serializer ?? JSONSerializer);
  }
}

/**
 * The payload of a verified value. Past the signature check the bytes come from a key holder,
 * yet a payload that does not decode is still reported as BadSignature: callers treat every
 * BadSignature as "absent", and a broken cookie must never become a 500.
 */
export function decodeObject(payload: string, serializer: Serializer): unknown {
  const compressed = payload.startsWith('.');
  try {
    let data = b64Decode(compressed ? payload.slice(1) : payload);
    if (compressed) data = inflateSync(data);
    return serializer.loads(data);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const err = new BadSignature(`The signature matches but the signed data cannot be decoded: ${reason}`);
    err.cause = error;
    throw err;
  }
}
