/**
 * The frame every debug page shares: one self-contained document (CSS inline, no scripts, no
 * external resources, noindex), and small helpers for the tables. Sections that are only useful
 * sometimes (library frames, the copy-and-paste traceback) fold with <details>, so no JavaScript
 * is needed.
 */
import { escapeHtml as e } from './escape.js';
import type { PairList } from './request-data.js';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#fff}
header,section,footer{padding:12px 24px;border-bottom:1px solid #ddd}
header{background:#fdf2d0}
header.notfound{background:#e6eef9}
header.welcome{background:#e3f4e8}
h1{margin:0 0 8px;font-size:22px;font-weight:600}
h1 small{font-weight:400;color:#555}
h2{margin:12px 0 8px;font-size:17px;font-weight:600}
h2 small{font-weight:400;color:#666;font-size:13px}
h3{margin:10px 0 4px;font-size:14px}
pre,code,textarea,td.v{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-word;margin:0}
pre.value{font-size:15px;margin:4px 0 10px;color:#5a3b00}
table{border-collapse:collapse;width:100%;margin-bottom:8px}
th,td{text-align:left;vertical-align:top;padding:3px 8px;border-bottom:1px solid #eee}
table.meta th{width:12em;color:#444;font-weight:500;white-space:nowrap}
table.kv th{width:18em;font-weight:500;word-break:break-all}
td.v{white-space:pre-wrap;word-break:break-word}
.note{color:#8a5800;font-style:italic}
ol.frames{list-style:none;padding:0;margin:0}
li.frame{margin:6px 0;border:1px solid #e5e5e5;border-radius:4px}
li.frame summary,li.frame>div{padding:5px 8px;cursor:default}
li.frame.lib{background:#f7f7f7;color:#555}
li.frame.user{background:#fff}
span.tag{font-size:11px;color:#777;border:1px solid #ccc;border-radius:3px;padding:0 4px;margin-left:6px}
ol.src{margin:0;padding:4px 0 4px 4.5em;background:#f4f4f4;border-top:1px solid #e5e5e5;font:12.5px/1.4 ui-monospace,Menlo,Consolas,monospace}
ol.src li{white-space:pre-wrap;color:#555}
ol.src li.here{background:#ffe8a6;color:#000}
p.cause{margin:14px 0 6px;font-weight:500;color:#6b2a00}
textarea{width:100%;min-height:18em;border:1px solid #ccc;padding:6px}
ol.patterns li{font-family:ui-monospace,Menlo,Consolas,monospace;margin:2px 0}
footer{color:#555;border-bottom:0}
`;

export function htmlDocument(title: string, body: string): string {
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="robots" content="noindex,nofollow">\n' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">\n' +
    `<title>${e(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`
  );
}

/** A two-column table; values are shown as given, escaped. */
export function metaTable(rows: readonly (readonly [label: string, value: string | undefined])[]): string {
  const trs = rows
    .filter((r): r is readonly [string, string] => r[1] !== undefined)
    .map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`)
    .join('\n');
  return `<table class="meta">\n${trs}\n</table>`;
}

/** A name/value section (GET, POST, cookies, headers, settings), or its note, or 'No ... data'. */
export function pairTable(title: string, list: PairList | undefined, empty: string, head: [string, string] = ['Variable', 'Value']): string {
  const heading = `<h3>${e(title)}</h3>`;
  if (!list) return `${heading}<p class="note">${e(empty)}</p>`;
  const note = list.note ? `<p class="note">${e(list.note)}</p>` : '';
  if (!list.items.length) return `${heading}${note || `<p>${e(empty)}</p>`}`;
  const rows = list.items.map((p) => `<tr><th>${e(p.name)}</th><td class="v">${e(p.value)}</td></tr>`).join('\n');
  return `${heading}${note}<table class="kv">\n<thead><tr><th>${e(head[0])}</th><th>${e(head[1])}</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}
