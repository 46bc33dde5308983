/**
 * TimestampSigner: `value:timestamp:signature`, the timestamp in base62 seconds, so unsign can
 * refuse values older than a max age (password reset links, confirmation tokens, cookies).
 */
import { BadSignature, SignatureExpired } from '../errors.js';
import { b62Decode, b62Encode } from './encoding.js';
import { pythonFloatRepr, pythonNumber } from './python-format.js';
import { decodeObject, Signer, type SignerOptions, type UnsignObjectOptions } from './signer.js';
import { JSONSerializer } from './serializers.js';

export interface TimestampSignerOptions extends SignerOptions {
  /** The clock, in milliseconds since the epoch like Date.now (which is the default); for tests. */
  now?: () => number;
}

export interface MaxAgeOptions {
  /** Refuse (SignatureExpired) values signed more than this many seconds ago. */
  maxAge?: number;
}

export class TimestampSigner extends Signer {
  static override readonly defaultSalt: string = 'django.core.signing.TimestampSigner';

  readonly #now: () => number;

  constructor(options: TimestampSignerOptions = {}) {
    super(options);
    this.#now = options.now ?? Date.now;
  }

  /** Whole seconds since the epoch, in base62. */
  timestamp(): string {
    return b62Encode(Math.floor(this.#now() / 1000));
  }

  override sign(value: string): string {
    return super.sign(`${value}${this.sep}${this.timestamp()}`);
  }

  override unsign(signedValue: string, options: MaxAgeOptions = {}): string {
    const maxAge = options.maxAge;
    if (maxAge !== undefined && (typeof maxAge !== 'number' || Number.isNaN(maxAge))) {
      // NaN would compare false and let every value through: refuse it loudly instead.
      throw new TypeError(`maxAge must be a number of seconds, not ${String(maxAge)}`);
    }
    const { value, timestamp } = this.unsignWithTimestamp(signedValue);
    if (maxAge !== undefined) {
      const age = this.#now() / 1000 - timestamp;
      if (age > maxAge) {
        throw new SignatureExpired(`Signature age ${pythonFloatRepr(age)} > ${pythonNumber(maxAge)} seconds`);
      }
    }
    return value;
  }

  /**
   * The value and the second it was signed at, with no age limit: for callers whose limit
   * depends on the value itself (a session that carries its own expiry).
   */
  unsignWithTimestamp(signedValue: string): { value: string; timestamp: number } {
    const result = super.unsign(signedValue);
    const at = result.lastIndexOf(this.sep);
    const timestamp = at < 0 ? undefined : b62Decode(result.slice(at + this.sep.length));
    // Only a key holder can produce a signed value with a bad timestamp, but the answer is
    // still BadSignature: callers handle exactly that (Django would raise ValueError here).
    if (timestamp === undefined) throw new BadSignature('The signed value has no valid timestamp');
    return { value: result.slice(0, at), timestamp };
  }

  /** Reverse of signObject, refusing values older than `maxAge` seconds. */
  override unsignObject(signedObject: string, options: UnsignObjectOptions & MaxAgeOptions = {}): unknown {
    return decodeObject(this.unsign(signedObject, options), options.serializer ?? JSONSerializer);
  }
}
