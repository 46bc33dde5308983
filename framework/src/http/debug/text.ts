/**
 * The plain-text error report: what the technical 500 answers to clients that do not accept
 * HTML, the copy-and-paste view on the HTML page, and the body of error mail. Its layout follows
 * Django's technical_500.txt (summary, traceback with the cause chain, request, settings) so
 * people who know one can read the other.
 */
import type { StackFrame } from './frames.js';
import type { ExceptionData, ReportData } from './report-data.js';
import type { PairList } from './request-data.js';

export const NO_MESSAGE = 'No exception message supplied';

export function headline(data: ReportData): string {
  return `${data.raised.type}${data.request ? ` at ${data.request.path}` : ''}`;
}

function frameText(frame: StackFrame): string {
  const where = frame.line === undefined ? `  File "${frame.file}"` : `  File "${frame.file}", line ${frame.line}`;
  const lib = frame.library ? ' (library)' : '';
  const src = frame.context?.lines[frame.context.current];
  return `${where}, in ${frame.fn}${lib}\n${src === undefined ? '' : `    ${src.trim()}\n`}`;
}

/** Django's wording for an explicit cause, in Reinhardt's words. */
export function causeSentence(cause: ExceptionData): string {
  return `The above exception (${cause.message || cause.type}) was the direct cause of the following exception:`;
}

/** The traceback alone: root cause first, most recent call last. */
export function tracebackText(chain: readonly ExceptionData[]): string {
  let out = 'Traceback (most recent call last):\n';
  chain.forEach((exc, i) => {
    if (i > 0) out += `\n${causeSentence(chain[i - 1]!)}\n\n`;
    if (!exc.frames.length) out += `  (${exc.note ?? 'no frames'})\n`;
    for (const frame of exc.frames) out += frameText(frame);
    if (i < chain.length - 1) out += `${exc.type}: ${exc.message}\n`;
  });
  return out;
}

function pairs(title: string, list: PairList | undefined, empty: string): string {
  if (!list) return `${title}: ${empty}\n`;
  let out = `${title}:`;
  if (list.note) out += ` (${list.note})`;
  if (!list.items.length) return `${out}${list.note ? '' : ` ${empty}`}\n`;
  for (const p of list.items) out += `\n  ${p.name} = ${JSON.stringify(p.value)}`;
  return `${out}\n`;
}

/** Summary, template details and traceback: what the page's copy-and-paste view holds. */
function summaryAndTraceback(data: ReportData): string[] {
  const r = data.request;
  const exc = data.raised;
  const lines: string[] = [headline(data), exc.message || NO_MESSAGE, ''];
  if (r) lines.push(`Request Method: ${r.method}`, `Request URL: ${r.url}`);
  lines.push(
    `Reinhardt Version: ${data.version}`,
    `Exception Type: ${exc.type}`,
    ...(exc.code === undefined ? [] : [`Error Code: ${exc.code}`]),
    ...(data.location === undefined ? [] : [`Exception Location: ${data.location}`]),
    `Node.js Version: ${data.nodeVersion}`,
    `Node.js Executable: ${data.executable}`,
    `Server time: ${data.serverTime}`,
    `Settings module: ${data.settingsModule}`,
    '',
  );
  const t = data.template;
  if (t?.kind === 'missing') {
    lines.push(`Template-loader postmortem (${t.template}), tried in this order:`, ...t.tried.map((p) => `  ${p}`), '');
    if (!t.tried.length) lines.push('  (no template directories are configured)', '');
  } else if (t?.kind === 'syntax') {
    lines.push(`Template error in ${t.template}${t.line === undefined ? '' : `, line ${t.line}`}`, '');
  }
  lines.push(tracebackText(data.chain));
  lines.push(`Exception Type: ${headline(data)}`, `Exception Value: ${exc.message || NO_MESSAGE}`, '');
  return lines;
}

export function pasteText(data: ReportData): string {
  return summaryAndTraceback(data).join('\n');
}

export function renderTextReport(data: ReportData, options: { forEmail: boolean }): string {
  const r = data.request;
  const lines = summaryAndTraceback(data);
  if (r) {
    lines.push('Request information:', `Remote address: ${r.remoteAddr}`, '');
    lines.push(pairs('GET', r.get, 'No GET data'), pairs('POST', r.post, 'No POST data'));
    lines.push(pairs('COOKIES', r.cookies, 'No cookie data'), pairs('HEADERS', r.headers, 'No headers'));
  } else {
    lines.push('Request data not supplied', '');
  }
  lines.push('Settings:', `Using settings module ${data.settingsModule}`);
  if (data.settings.note) lines.push(`(${data.settings.note})`);
  for (const p of data.settings.items) lines.push(`${p.name} = ${p.value}`);
  lines.push('');
  if (data.notes.length) lines.push('Parts of this report could not be built:', ...data.notes.map((n) => `  ${n}`), '');
  if (!options.forEmail) {
    lines.push(
      "You're seeing this error because you have DEBUG = true in your Reinhardt settings.",
      'Set DEBUG to false and Reinhardt will answer with the standard page for this status code instead.',
      '',
    );
  }
  return lines.join('\n');
}
