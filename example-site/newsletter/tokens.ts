/**
 * The confirmation link's token: the address, signed with SECRET_KEY by a TimestampSigner under
 * a salt of its own (so no other signed value of the site can stand in for it), valid 48 hours.
 * Nothing is stored until the visitor follows the link: the token carries all it needs.
 */
import { BadSignature, SignatureExpired, TimestampSigner } from 'reinhardt/signing';

export const CONFIRM_SALT = 'coffeehouse.newsletter.confirm';
export const CONFIRM_MAX_AGE = 48 * 60 * 60;

export function confirmationToken(email: string): string {
  return new TimestampSigner({ salt: CONFIRM_SALT }).signObject({ email });
}

export type Confirmation = { status: 'confirmed'; email: string } | { status: 'expired' } | { status: 'invalid' };

/** What a token from a link says; no link, however mangled, makes it throw. */
export function readConfirmation(token: string): Confirmation {
  try {
    const data = new TimestampSigner({ salt: CONFIRM_SALT }).unsignObject(token, { maxAge: CONFIRM_MAX_AGE });
    const email = (data as { email?: unknown } | null)?.email;
    return typeof email === 'string' ? { status: 'confirmed', email } : { status: 'invalid' };
  } catch (err) {
    if (err instanceof SignatureExpired) return { status: 'expired' };
    if (err instanceof BadSignature) return { status: 'invalid' };
    throw err;
  }
}
