// Put a benchmark's report (stdin, starting with its "## " heading) into a Markdown file: it
// replaces the section whose heading starts with PREFIX (up to the next "## " heading), or is
// appended when there is none. So re-running a benchmark keeps one table per benchmark.
//   node put-section.mjs FILE 'PREFIX' < report.md
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [file, prefix] = process.argv.slice(2);
const report = readFileSync(0, 'utf8').trim();
const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
const lines = text.split('\n');
const start = lines.findIndex((l) => l.startsWith(`## ${prefix}`));
let out;
if (start === -1) {
  out = `${text.trimEnd()}\n\n${report}\n`;
} else {
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end === -1) end = lines.length;
  const before = lines.slice(0, start).join('\n').trimEnd();
  const after = lines.slice(end).join('\n').trim();
  out = `${before}\n\n${report}\n${after ? `\n${after}\n` : ''}`;
}
writeFileSync(file, out);
