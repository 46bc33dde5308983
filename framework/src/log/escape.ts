/**
 * Text output (pretty console lines, text formatters, files written with them) is read by people
 * and by line-based tools, so a logged value must never be able to start a line of its own: a
 * path like '/x\n[12:00:00] INFO (reinhardt): admin logged in' would otherwise forge a record.
 * JSON lines need none of this: JSON.stringify already escapes every control character.
 */

// C0 controls, DEL, C1 controls and the two Unicode line separators some viewers honour.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
}

/**
 * Strings up to this length are scanned with a loop rather than a regular expression: a regex
 * call costs about 600 instructions before it reads a character (counted with
 * scripts/bench/instructions.sh), a loop a few per character.
 */
const SHORT = 128;

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** Every control character as a visible escape ('\n' becomes the two characters \ and n). */
export function escapeControl(text: string): string {
  if (text.length <= SHORT) {
    let i = 0;
    while (i < text.length && !isControl(text.charCodeAt(i))) i++;
    if (i === text.length) return text;
  }
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, escapeChar) : text;
}

/**
 * What JSON.stringify(text) writes between its quotes, for less. A short string with neither a
 * control character nor a surrogate (an access-log URL) is escaped here; JSON.stringify is a
 * call into V8's runtime, about 1,800 instructions for a 30-character message. Anything else is
 * left to JSON.stringify.
 */
export function jsonEscaped(text: string): string {
  if (text.length > SHORT) return JSON.stringify(text).slice(1, -1);
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) return JSON.stringify(text).slice(1, -1);
    if (code === 0x22 || code === 0x5c) {
      out += `${text.slice(from, i)}\\`;
      from = i;
    }
  }
  return out === '' ? text : out + text.slice(from);
}

/** The same, through the strings of a JSON-like value (keys included). */
export function escapeDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return escapeControl(value);
  if (value === null || typeof value !== 'object' || depth > 20) return value;
  if (Array.isArray(value)) return value.map((v) => escapeDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[escapeControl(k)] = escapeDeep(v, depth + 1);
  return out;
}

/**
 * A multi-line block (a stack trace) kept readable: each line escaped, and every line indented so
 * that none can pass for a record of its own.
 */
export function indentBlock(text: string, indent = '    '): string {
  return text
    .split(/\r?\n/)
    .map((line) => indent + escapeControl(line))
    .join('\n');
}

/**
 * The last guard on a formatter's output (a custom formatter may not escape): carriage returns
 * become visible, and any line after the first that does not start with whitespace is indented.
 */
export function guardLines(text: string): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return body
    .replace(/\r/g, '\\r')
    .split('\n')
    .map((line, i) => (i === 0 || /^[ \t]/.test(line) ? line : `  ${line}`))
    .join('\n');
}
