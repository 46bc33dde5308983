/**
 * CSRF secrets and tokens, in Django's (4.1+) format so a Reinhardt site and a Django site under
 * one domain accept each other's cookies and form tokens:
 *
 * - the secret (kept in the cookie, or the session) is 32 letters and digits;
 * - a token (in the form or header) is the secret masked: 32 random characters, then the secret
 *   with each character shifted by the mask's. A new mask per token means a page never shows the
 *   same token twice, which defeats BREACH-style compression attacks on TLS.
 *
 * A 64-character cookie is an older (pre-4.1) masked secret: it is accepted and replaced.
 */
import { constantTimeCompare } from '../../signing/constant-time.js';
import { getRandomString } from '../../signing/secret-key.js';

/** ascii_letters + digits, in Python's order: the alphabet and its order are part of the format. */
export const CSRF_ALLOWED_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const CSRF_SECRET_LENGTH = 32;
export const CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH;

const INVALID_CHARS = /[^a-zA-Z0-9]/;

export function newCsrfSecret(): string {
  return getRandomString(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS);
}

const index = (ch: string): number => CSRF_ALLOWED_CHARS.indexOf(ch);
const N = CSRF_ALLOWED_CHARS.length;

/** A fresh token for `secret`: a random mask, then the secret shifted by it. */
export function maskSecret(secret: string): string {
  const mask = newCsrfSecret();
  let cipher = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) cipher += CSRF_ALLOWED_CHARS[(index(secret[i]!) + index(mask[i]!)) % N];
  return mask + cipher;
}

/** The secret inside a 64-character token (assumed well-formed: see tokenFormatProblem). */
export function unmaskToken(token: string): string {
  const mask = token.slice(0, CSRF_SECRET_LENGTH);
  const cipher = token.slice(CSRF_SECRET_LENGTH);
  let secret = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) secret += CSRF_ALLOWED_CHARS[(index(cipher[i]!) - index(mask[i]!) + N) % N];
  return secret;
}

/** Why a secret or token is malformed, as Django words it ('has incorrect length'), or undefined. */
export function tokenFormatProblem(token: string): string | undefined {
  if (token.length !== CSRF_TOKEN_LENGTH && token.length !== CSRF_SECRET_LENGTH) return 'has incorrect length';
  if (INVALID_CHARS.test(token)) return 'has invalid characters';
  return undefined;
}

/** A well-formed secret or token as the bare secret. */
export function toSecret(token: string): string {
  return token.length === CSRF_TOKEN_LENGTH ? unmaskToken(token) : token;
}

/** Does a well-formed token (masked, or a bare secret) carry `secret`? In constant time. */
export function tokenMatchesSecret(token: string, secret: string): boolean {
  return constantTimeCompare(toSecret(token), secret);
}
