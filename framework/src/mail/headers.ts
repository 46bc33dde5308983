/**
 * Header injection. A CR or LF in a header value would let whoever controls the value (a form's
 * subject, a name in a reply-to address) add headers of their own — a Bcc to a spam list — or
 * start the body early. Django refuses such values with BadHeaderError; nodemailer instead folds
 * the newline into a space and sends, so Reinhardt checks every value itself, before any
 * connection is opened, and nothing is sent.
 */
import { BadHeaderError } from '../errors.js';
import { type EmailAddress, formatAddress } from './addresses.js';

const NEWLINE = /[\r\n]/;

/** Throw BadHeaderError naming `header` when `value` holds a CR or LF. */
export function forbidNewlines(header: string, value: string): void {
  if (NEWLINE.test(value)) throw new BadHeaderError(header, value);
}

/** Both parts of an address end up in the header, so both are checked. */
export function forbidNewlinesInAddress(header: string, address: EmailAddress): void {
  if (typeof address === 'string') {
    forbidNewlines(header, address);
  } else if (NEWLINE.test(address.name) || NEWLINE.test(address.address)) {
    throw new BadHeaderError(header, formatAddress(address));
  }
}
