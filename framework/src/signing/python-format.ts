/**
 * The few bits of Python's text formatting whose bytes end up in signed values or in messages
 * that must read like Django's: json.dumps(..., separators=(',', ':')) with ensure_ascii, float
 * repr, and str repr.
 *
 * Why not JSON.stringify alone: Python escapes every character outside printable ASCII
 * (including DEL) as \uXXXX, and formats floats differently (1e-05, 1e+16, 2.5). The signature
 * covers the JSON bytes, so a Reinhardt value and a Django value for the same data are only
 * identical if the JSON is.
 */

/**
 * Python's repr() of a float: shortest round-trip digits, positional notation while the decimal
 * point is within (-4, 16], a trailing '.0' on whole numbers, and a signed two-digit exponent
 * otherwise.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() with no argument gives the shortest digits that round-trip, as Python does.
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential());
  if (!match) throw new Error(`unexpected number form ${x.toExponential()}`);
  const sign = match[1] ?? '';
  const digits = (match[2] ?? '') + (match[3] ?? '');
  const exponent = Number(match[4]);
  // Python's decpt: the value is 0.DIGITS x 10^decpt.
  const decpt = exponent + 1;
  if (decpt <= -4 || decpt > 16) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${mantissa}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/**
 * A JavaScript number as Python would print the value it most likely was: whole numbers as ints
 * (JSON from Python ints comes back as whole numbers; `2` not `2.0`), others as float repr.
 */
export function pythonNumber(x: number): string {
  if (Number.isInteger(x)) return BigInt(x).toString();
  return pythonFloatRepr(x);
}

/** Python's repr() of a str, enough for error messages: quotes chosen like Python, escapes. */
export function pythonStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** A string as a JSON string literal with Python's ensure_ascii escaping. */
function jsonString(s: string): string {
  // JSON.stringify already escapes '"', '\\', control characters (lower-case hex, like Python)
  // and lone surrogates; what is left is everything from DEL upwards, one UTF-16 unit at a time,
  // which is exactly how Python writes astral characters (as a surrogate pair).
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `json.dumps(value, separators=(',', ':'))` as Python writes it, for the values JSON.stringify
 * accepts. JavaScript's rules decide *what* is written (toJSON, undefined and functions dropped
 * from objects and written as null in arrays); Python's decide *how* (escapes, numbers).
 * Non-finite numbers are refused: Python would write NaN/Infinity, which JSON.parse cannot read
 * back, and JSON.stringify would silently turn them into null.
 */
export function pythonJsonDumps(value: unknown): string {
  const seen = new Set<object>();
  const write = (v: unknown, key: string, inArray: boolean): string | undefined => {
    if (v !== null && (typeof v === 'object' || typeof v === 'bigint')) {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') v = (toJSON as (k: string) => unknown).call(v, key);
    }
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return jsonString(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(v)) throw new TypeError(`Cannot sign the number ${String(v)}: JSON has no form for it.`);
        return pythonNumber(v);
      case 'bigint':
        throw new TypeError('Cannot sign a BigInt: JSON.parse could not read it back exactly.');
      case 'undefined':
      case 'function':
      case 'symbol':
        return inArray ? 'null' : undefined;
      default:
        break;
    }
    const obj = v as object;
    if (obj instanceof Number) return write(Number(obj), key, inArray);
    if (obj instanceof String) return jsonString(String(obj));
    if (obj instanceof Boolean) return obj.valueOf() ? 'true' : 'false';
    if (seen.has(obj)) throw new TypeError('Cannot sign a value that contains itself (a circular reference).');
    seen.add(obj);
    try {
      if (Array.isArray(obj)) {
        return `[${obj.map((item, i) => write(item, String(i), true) ?? 'null').join(',')}]`;
      }
      const parts: string[] = [];
      for (const [k, item] of Object.entries(obj)) {
        const text = write(item, k, false);
        if (text !== undefined) parts.push(`${jsonString(k)}:${text}`);
      }
      return `{${parts.join(',')}}`;
    } finally {
      seen.delete(obj);
    }
  };
  const text = write(value, '', false);
  if (text === undefined) throw new TypeError(`Cannot sign ${typeof value}: it has no JSON form.`);
  return text;
}
