/**
 * Random secrets, as Django makes them: every character drawn independently and uniformly
 * (crypto.randomInt, which rejects biased samples rather than taking a modulo).
 */
import { randomInt } from 'node:crypto';

/** Django's RANDOM_STRING_CHARS: letters and digits. */
export const RANDOM_STRING_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The characters of a SECRET_KEY made by get_random_secret_key / startproject. */
export const SECRET_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';

/** A string of `length` characters drawn from `allowedChars` with a cryptographic generator. */
export function getRandomString(length: number, allowedChars: string = RANDOM_STRING_CHARS): string {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`length must be a whole number >= 0, not ${length}`);
  const chars = [...allowedChars];
  if (chars.length === 0) throw new RangeError('allowedChars must not be empty');
  let out = '';
  for (let i = 0; i < length; i++) out += chars[randomInt(chars.length)];
  return out;
}

/** A new 50-character SECRET_KEY (about 282 bits), like Django's get_random_secret_key. */
export function getRandomSecretKey(): string {
  return getRandomString(50, SECRET_KEY_CHARS);
}
