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

/** Every control character as a visible escape ('\n' becomes the two characters \ and n). */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, escapeChar) : text;
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
