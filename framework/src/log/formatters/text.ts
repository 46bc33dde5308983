/**
 * Formatters by short name:
 * - 'json'   one JSON line per record (what a log collector wants; the default away from DEBUG).
 * - 'text'   Python's format strings, in either style Django projects use:
 *            `'{levelname} {asctime} {name} {message}'` (style '{') or
 *            `'%(levelname)s %(name)s: %(message)s'` (style '%', the default when the format
 *            holds '%(').
 * - 'server' Django's ServerFormatter line in DEBUG (`[24/Nov/2026 10:00:00] "GET / ..." 200`),
 *            a JSON line otherwise.
 * Every value put into a text line is escaped (escape.ts), and a record's stack follows on
 * indented lines, so a value can never forge a line of its own.
 */
import { LEVELS } from '../logger.js';
import { escapeControl, indentBlock } from '../escape.js';
import type { Formatter, FormatterContext, LogEntry } from '../types.js';

/** The JSON line (also the identity that tells a handler to let pino write directly). */
export const jsonFormatter: Formatter = (entry) => JSON.stringify(entry);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Python's default asctime: '2026-11-24 10:00:00,123' (local time). */
function asctime(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}

/** Django's server_time: '24/Nov/2026 10:00:00' (local time). */
function serverTime(time: number): string {
  const d = new Date(time);
  return `${pad(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The value of a placeholder, as text. Unknown names give '-', as in access logs. */
function lookup(entry: LogEntry, key: string): string {
  switch (key) {
    case 'message':
      return entry.msg;
    case 'levelname':
      return entry.level;
    case 'levelno':
      return String(LEVELS[entry.level as keyof typeof LEVELS] ?? '');
    case 'asctime':
      return asctime(entry.time);
    case 'server_time':
      return serverTime(entry.time);
    case 'created':
      return String(entry.time / 1000);
    case 'msecs':
      return String(entry.time % 1000);
  }
  const value = entry[key];
  if (value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function align(text: string, spec: string): string {
  const m = /^([<>^])?(\d+)?$/.exec(spec);
  if (!m || !m[2]) return text;
  const width = Number(m[2]);
  if (m[1] === '>') return text.padStart(width);
  if (m[1] === '^') {
    const total = Math.max(0, width - text.length);
    return ' '.repeat(Math.floor(total / 2)) + text + ' '.repeat(Math.ceil(total / 2));
  }
  return text.padEnd(width);
}

const BRACE_FIELD = /\{\{|\}\}|\{(\w+)(?::([^}]*))?\}/g;
const PERCENT_FIELD = /%%|%\((\w+)\)(-?)(\d*)(?:\.\d+)?[sdifr]/g;

/** A text formatter for `format` in `style` ('{' or '%'). */
export function compileFormat(format: string, style: '{' | '%'): Formatter {
  return (entry) => {
    const line =
      style === '{'
        ? format.replace(BRACE_FIELD, (all, key: string | undefined, spec: string | undefined) =>
            key === undefined ? all[0]! : align(escapeControl(lookup(entry, key)), spec ?? ''),
          )
        : format.replace(PERCENT_FIELD, (_all, key: string | undefined, left: string, width: string) => {
            if (key === undefined) return '%';
            const text = escapeControl(lookup(entry, key));
            return width ? align(text, `${left ? '<' : '>'}${width}`) : text;
          });
    const err = entry.err as { stack?: unknown; type?: unknown; message?: unknown } | undefined;
    if (!err) return line;
    const stack = typeof err.stack === 'string' ? err.stack : `${String(err.type)}: ${String(err.message)}`;
    return `${line}\n${indentBlock(stack)}`;
  };
}

export function textFormatter({ options }: FormatterContext): Formatter {
  const format = typeof options.format === 'string' ? options.format : '{levelname} {asctime} {name} {message}';
  const style = options.style === '%' || options.style === '{' ? options.style : format.includes('%(') ? '%' : '{';
  return compileFormat(format, style);
}

export function serverFormatter(ctx: FormatterContext): Formatter {
  return ctx.settings.DEBUG ? textFormatter({ ...ctx, options: { format: '[{server_time}] {message}', ...ctx.options } }) : jsonFormatter;
}
