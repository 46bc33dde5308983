// One collectStatic() call timed inside the process: settings loaded and modules imported first,
// so the number is the work alone (no Node start, no loader, no imports). Prints milliseconds.
//   node collect-inprocess.mjs FRAMEWORK_DIST_DIR PROJECT_DIR SETTINGS_MODULE
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [framework, projectDir, module] = process.argv.slice(2);
const load = (rel) => import(pathToFileURL(join(framework, 'src', rel)).href);
const { loadSettings } = await load('conf/index.js');
const { collectStatic } = await load('staticfiles/collect.js');
const settings = await loadSettings({ module, baseDir: projectDir, env: process.env });
const sink = { write: () => true };
const t0 = performance.now();
const result = await collectStatic(settings, { stdout: sink, stderr: sink });
const ms = performance.now() - t0;
if (!result.summary) process.exit(1);
process.stdout.write(`${Math.round(ms)}\n`);
