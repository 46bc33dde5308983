/**
 * Django's salted_hmac: HMAC(key = H(keySalt + secret), value). Hashing the salt into the key
 * gives every use of the secret (signing, sessions, CSRF, cookies) its own key, so a signature
 * made for one purpose never verifies for another.
 */
import { createHash, createHmac } from 'node:crypto';
import { ImproperlyConfigured } from '../errors.js';
import { pythonStrRepr } from './python-format.js';

/** Python hashlib names mapped to OpenSSL's, for the algorithms Django sites use. */
const ALGORITHMS: Readonly<Record<string, string>> = {
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha3_224: 'sha3-224',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
};

export type HashAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'sha3_224' | 'sha3_256' | 'sha3_384' | 'sha3_512';

/** The OpenSSL name of a hashlib algorithm name; an unknown one is a configuration error. */
export function hashAlgorithm(name: string): string {
  const openssl = Object.hasOwn(ALGORITHMS, name) ? ALGORITHMS[name] : undefined;
  if (!openssl) {
    throw new ImproperlyConfigured(
      `${pythonStrRepr(name)} is not an algorithm accepted by the hashlib module. ` +
        `Use one of: ${Object.keys(ALGORITHMS).join(', ')}.`,
    );
  }
  return openssl;
}

/**
 * The HMAC digest of `value` under a key derived from `keySalt` and `secret`. Strings are
 * encoded as UTF-8, like Django's force_bytes. The default algorithm is SHA-1, as in Django's
 * salted_hmac; signing passes SHA-256.
 */
export function saltedHmac(
  keySalt: string | Uint8Array,
  value: string | Uint8Array,
  secret: string | Uint8Array,
  algorithm: string = 'sha1',
): Buffer {
  const name = hashAlgorithm(algorithm);
  // Always hash the salted key, even when HMAC would hash a long key itself: Django does, and
  // the derived key must be the same bytes for values to verify on both sides.
  const key = createHash(name).update(keySalt).update(secret).digest();
  return createHmac(name, key).update(value).digest();
}
