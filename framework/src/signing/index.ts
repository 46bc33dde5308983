/**
 * reinhardt/signing: Django's django.core.signing for TypeScript. With the same secret, salt and
 * algorithm, every value here is byte for byte the one Django 3.2+ produces, so a Django site and
 * a Reinhardt site that share a SECRET_KEY read each other's signed values.
 *
 * @example
 * import { Signer, TimestampSigner, dumps, loads } from 'reinhardt/signing';
 * const signer = new Signer({ salt: 'stores.favourite' });
 * const value = signer.sign('42');          // '42:...'
 * signer.unsign(value);                      // '42'; BadSignature if tampered with
 * new TimestampSigner().unsign(token, { maxAge: 3600 }); // SignatureExpired after an hour
 */
export { BadSignature, SignatureExpired } from '../errors.js';
export { Signer, type SignerOptions, type SignObjectOptions, type UnsignObjectOptions } from './signer.js';
export { TimestampSigner, type TimestampSignerOptions, type MaxAgeOptions } from './timestamp-signer.js';
export { dumps, loads, type DumpsOptions, type LoadsOptions } from './dumps.js';
export { JSONSerializer, type Serializer } from './serializers.js';
export {
  getCookieSigner,
  signCookie,
  unsignCookie,
  type CookieSignerOptions,
  type SignCookieOptions,
  type UnsignCookieOptions,
} from './cookies.js';
export { saltedHmac, type HashAlgorithm } from './salted-hmac.js';
export { constantTimeCompare } from './constant-time.js';
export { getRandomSecretKey, getRandomString, RANDOM_STRING_CHARS, SECRET_KEY_CHARS } from './secret-key.js';
export { b62Decode, b62Encode, b64Decode, b64Encode } from './encoding.js';
export type { KeyOptions } from './site-keys.js';
