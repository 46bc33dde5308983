/**
 * Email addresses as the mail API takes them, and ADMINS/MANAGERS entries turned into them.
 *
 * An address is either a string nodemailer parses ('ann@example.com', 'Ann <ann@example.com>')
 * or a `{ name, address }` object. ADMINS pairs become objects rather than 'Name <email>' strings
 * so that a name holding a comma or quotes ('Doe, Ann') stays one mailbox instead of being split
 * into two by the address parser.
 */
import type { Person } from '../conf/settings-types.js';
import { ImproperlyConfigured } from '../errors.js';

export interface NamedAddress {
  readonly name: string;
  readonly address: string;
}

export type EmailAddress = string | NamedAddress;

/** 'Name <email>' (the name optionally in double quotes), as the settings rule accepts it. */
const NAMED = /^\s*(.*?)\s*<([^\s<>]+)>\s*$/;

/**
 * One ADMINS or MANAGERS entry as an address. Newlines are not judged here: they travel into the
 * To header and are refused there with BadHeaderError, like any other header value.
 */
export function personToAddress(person: Person, setting: string): EmailAddress {
  if (typeof person === 'string') {
    const m = NAMED.exec(person);
    if (!m) return person.trim();
    const name = m[1]!.replace(/^"(.*)"$/, '$1');
    return name ? { name, address: m[2]! } : m[2]!;
  }
  if (Array.isArray(person) && person.length === 2 && typeof person[0] === 'string' && typeof person[1] === 'string') {
    return person[0] ? { name: person[0], address: person[1] } : person[1];
  }
  throw new ImproperlyConfigured(
    `${setting} entries must be ['Name', 'email'] pairs, 'Name <email>' strings or bare addresses (got ${JSON.stringify(person)}).`,
  );
}

/** For messages and logs: the way the address would read in a header. */
export function formatAddress(address: EmailAddress): string {
  return typeof address === 'string' ? address : `${address.name} <${address.address}>`;
}

export function isNamedAddress(value: unknown): value is NamedAddress {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as NamedAddress).name === 'string' &&
    typeof (value as NamedAddress).address === 'string'
  );
}
