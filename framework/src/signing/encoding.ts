/**
 * The encodings of signed values: URL-safe base64 without padding (so values fit in URLs and
 * cookies unquoted) and base62 timestamps, both exactly as Django writes them.
 */

/** URL-safe base64 with the '=' padding stripped. */
export function b64Encode(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url');
}

/** Reverse of b64Encode; padding is optional. */
export function b64Decode(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A whole number in base 62 (digits, upper case, lower case), '-' for negatives. */
export function b62Encode(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`b62Encode takes a safe integer, not ${n}`);
  if (n === 0) return '0';
  let rest = Math.abs(n);
  let out = '';
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return n < 0 ? `-${out}` : out;
}

/** Reverse of b62Encode; undefined when the text is not a base62 number that fits exactly. */
export function b62Decode(text: string): number | undefined {
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  if (digits === '') return undefined;
  let n = 0;
  for (const ch of digits) {
    const d = BASE62.indexOf(ch);
    if (d < 0) return undefined;
    n = n * 62 + d;
  }
  if (!Number.isSafeInteger(n)) return undefined;
  return negative ? -n : n;
}
