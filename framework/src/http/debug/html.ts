/**
 * The technical 500 page as HTML: summary, template details, traceback (the site's frames open,
 * library frames folded), request, settings. Every value is escaped here; masking and redaction
 * already happened when the data was collected, and the caller redacts the finished page once more.
 */
import { escapeHtml as e } from './escape.js';
import type { StackFrame } from './frames.js';
import { htmlDocument, metaTable, pairTable } from './layout.js';
import type { ExceptionData, ReportData } from './report-data.js';
import { causeSentence, headline, NO_MESSAGE, pasteText } from './text.js';

function sourceList(frame: StackFrame): string {
  const ctx = frame.context;
  if (!ctx) return '';
  const items = ctx.lines.map((line, i) => `<li${i === ctx.current ? ' class="here"' : ''}>${e(line) || ' '}</li>`).join('');
  return `<ol class="src" start="${ctx.firstLine}">${items}</ol>`;
}

function frameHtml(frame: StackFrame): string {
  const cls = frame.library ? 'lib' : 'user';
  const where = `<code>${e(frame.file)}</code>${frame.line === undefined ? '' : `, line ${frame.line}`}, in <code>${e(frame.fn)}</code>`;
  const tag = frame.library ? '<span class="tag">library</span>' : '';
  if (!frame.context) return `<li class="frame ${cls}"><div>${where}${tag}</div></li>`;
  // The site's own frames open, library frames folded: the first thing seen is the site's code.
  return `<li class="frame ${cls}"><details${frame.library ? '' : ' open'}><summary>${where}${tag}</summary>${sourceList(frame)}</details></li>`;
}

function exceptionHtml(exc: ExceptionData): string {
  const note = exc.note ? `<p class="note">${e(exc.note)}</p>` : '';
  const frames = exc.frames.length ? `<ol class="frames">\n${exc.frames.map(frameHtml).join('\n')}\n</ol>` : '';
  return `${note}${frames}`;
}

function tracebackHtml(data: ReportData, forEmail: boolean): string {
  const parts = data.chain.map((exc, i) => {
    const lead = i > 0 ? `<p class="cause">${e(causeSentence(data.chain[i - 1]!))}</p>\n` : '';
    const label = data.chain.length > 1 ? `<h3>${e(exc.type)}: ${e(exc.message || NO_MESSAGE)}</h3>\n` : '';
    return `${lead}${label}${exceptionHtml(exc)}`;
  });
  // The copy-and-paste view: summary and traceback as text, in a textarea (no script needed).
  const paste = forEmail
    ? ''
    : `\n<details><summary>Copy-and-paste view</summary><textarea readonly>${e(pasteText(data))}</textarea></details>`;
  return `<section id="traceback">\n<h2>Traceback <small>(most recent call last)</small></h2>\n${parts.join('\n')}${paste}\n</section>`;
}

function templateHtml(data: ReportData): string {
  const t = data.template;
  if (!t) return '';
  if (t.kind === 'missing') {
    const tried = t.tried.length
      ? `<ol>${t.tried.map((p) => `<li><code>${e(p)}</code> (does not exist)</li>`).join('')}</ol>`
      : '<p>No template directories are configured: set DIRS or APP_DIRS in TEMPLATES.</p>';
    return `<section id="template"><h2>Template-loader postmortem</h2><p>Reinhardt looked for <code>${e(t.template)}</code> in this order:</p>${tried}</section>`;
  }
  const at = t.line === undefined ? '' : `, line ${t.line}`;
  return `<section id="template"><h2>Error during template rendering</h2><p>In template <code>${e(t.template)}</code>${e(at)}.</p></section>`;
}

function requestHtml(data: ReportData): string {
  const r = data.request;
  if (!r) return '<section id="request"><h2>Request information</h2><p>Request data not supplied.</p></section>';
  return [
    '<section id="request">\n<h2>Request information</h2>',
    metaTable([['Remote address', r.remoteAddr]]),
    pairTable('GET', r.get, 'No GET data'),
    pairTable('POST', r.post, 'No POST data'),
    pairTable('COOKIES', r.cookies, 'No cookie data'),
    pairTable('HEADERS', r.headers, 'No headers', ['Header', 'Value']),
    '</section>',
  ].join('\n');
}

export function renderHtmlReport(data: ReportData, options: { forEmail: boolean }): string {
  const r = data.request;
  const exc = data.raised;
  const summary = [
    `<header id="summary">\n<h1>${e(exc.type)}${r ? ` <small>at ${e(r.path)}</small>` : ''}</h1>`,
    `<pre class="value">${e(exc.message || NO_MESSAGE)}</pre>`,
    metaTable([
      ['Request Method:', r?.method],
      ['Request URL:', r?.url],
      ['Reinhardt Version:', data.version],
      ['Exception Type:', exc.type],
      ['Exception Value:', exc.message || NO_MESSAGE],
      ['Error Code:', exc.code],
      ['Exception Location:', data.location],
      ['Node.js Version:', data.nodeVersion],
      ['Node.js Executable:', data.executable],
      ['Server time:', data.serverTime],
      ['Settings module:', data.settingsModule],
    ]),
    '</header>',
  ].join('\n');
  const notes = data.notes.length
    ? `<section id="notes"><h2>Parts of this page could not be built</h2><ul>${data.notes.map((n) => `<li class="note">${e(n)}</li>`).join('')}</ul></section>`
    : '';
  const settings = [
    '<section id="settings">\n<h2>Settings</h2>',
    `<p>Using settings module <code>${e(data.settingsModule)}</code></p>`,
    pairTable('Settings', data.settings, 'No settings', ['Setting', 'Value']),
    '</section>',
  ].join('\n');
  const footer = options.forEmail
    ? ''
    : '<footer id="explanation"><p>You are seeing this error because <code>DEBUG = true</code> in your Reinhardt settings. ' +
      'Set it to <code>false</code> and Reinhardt will answer with the standard page for this status code instead.</p></footer>';
  const title = `${headline(data)}`;
  return htmlDocument(title, [summary, notes, templateHtml(data), tracebackHtml(data, options.forEmail), requestHtml(data), settings, footer].join('\n'));
}
