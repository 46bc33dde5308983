// Second half of `npm run build`, after tsc has compiled dist/ (and type-checked everything): bundle
// the framework, copy what tsc does not (templates, static files, example configs, package.json
// files), and make `reinhardt/...` imports inside
// dist/ resolve to the compiled framework. The framework's own package.json keeps pointing at
// the .ts sources (what the tsx loader and the tests use); dist/ gets a copy whose exports name
// the .js files, linked as dist/node_modules/reinhardt. Other packages resolve from the
// repository's node_modules, one folder up, as Node walks parent folders.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
if (!existsSync(dist)) throw new Error(`${dist} does not exist: run tsc -p tsconfig.build.json first.`);

const SOURCE = /\.(?:ts|mts|cts)$/;
function copyAssets(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory()) copyAssets(src, dst);
    else if (!SOURCE.test(entry.name) && entry.name !== 'package.json') {
      mkdirSync(to, { recursive: true });
      cpSync(src, dst);
    }
  }
}
copyAssets(join(root, 'example-site'), join(dist, 'example-site'));

// The framework is bundled into one module, chunks/reinhardt.js: tsc wrote one file per module,
// and loading ES modules one by one (resolve, read, compile, link) was most of the cold start
// beyond Fastify's own. Each public subpath (reinhardt/conf, reinhardt/http, ...) is a small file
// that re-exports its names from the bundle, so they all share one copy of the framework. There
// is no code splitting: with each subpath as an entry, esbuild cut the shared code into about 70
// chunks, all of which `serve` loaded (serve's cold start 694 -> 616 ms, bare Fastify + eta 497).
// Modules the framework imports lazily (commands, middleware, log handlers) are in the bundle
// and run when first imported; npm packages stay outside, and the heavy ones (Fastify and its
// plugins, pino, nodemailer) are imported where they are needed, so commands that never serve
// do not load them.
// Source maps point at the .ts files; the framework reads them when it shows a stack
// (utils/source-maps.ts), so `serve` runs without --enable-source-maps.
const pkg = JSON.parse(readFileSync(join(root, 'framework', 'package.json'), 'utf8'));
const subpaths = Object.values(pkg.exports)
  .filter((target) => typeof target === 'string' && SOURCE.test(target))
  .map((target) => join(root, 'framework', target));
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Class and function names are part of behaviour: error names, 'reinhardt.security.<Name>'
  // logger names, messages that name a type. Bundling must not rename them.
  keepNames: true,
  logLevel: 'warning',
  // The metafile's paths are relative to this folder, whatever folder the build runs from.
  absWorkingDir: root,
};
// The names each subpath exports: esbuild's metafile lists them per entry point (a build that
// writes nothing; splitting only makes it quicker).
const probe = await build({
  ...common,
  entryPoints: subpaths,
  outbase: join(root, 'framework', 'src'),
  outdir: join(dist, 'framework', 'src'),
  splitting: true,
  write: false,
  metafile: true,
});
const exportsOf = new Map();
for (const output of Object.values(probe.metafile.outputs)) {
  if (output.entryPoint) exportsOf.set(join(root, output.entryPoint), output.exports);
}
for (const source of subpaths) {
  if (!exportsOf.has(source)) throw new Error(`esbuild reported no exports for ${relative(root, source)}: the build would give that subpath none.`);
}
// One entry that re-exports every subpath's names, each prefixed with its subpath's number.
const entryDir = mkdtempSync(join(tmpdir(), 'reinhardt-build-'));
const entry = join(entryDir, 'reinhardt.ts');
const lines = subpaths.flatMap((source, i) => {
  const names = exportsOf.get(source);
  return names.length ? [`export { ${names.map((n) => `${n} as s${i}$${n}`).join(', ')} } from ${JSON.stringify(source)};`] : [];
});
writeFileSync(entry, `${lines.join('\n')}\n`);
rmSync(join(dist, 'framework', 'src'), { recursive: true, force: true });
try {
  await build({
    ...common,
    entryPoints: [{ in: entry, out: 'chunks/reinhardt' }],
    outdir: join(dist, 'framework', 'src'),
    sourcemap: true,
    sourcesContent: false,
  });
} finally {
  rmSync(entryDir, { recursive: true, force: true });
}
const bundle = join(dist, 'framework', 'src', 'chunks', 'reinhardt.js');
for (const [i, source] of subpaths.entries()) {
  const file = join(dist, 'framework', 'src', relative(join(root, 'framework', 'src'), source)).replace(SOURCE, '.js');
  const names = exportsOf.get(source);
  let from = relative(dirname(file), bundle);
  if (!from.startsWith('.')) from = `./${from}`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, names.length ? `export { ${names.map((n) => `s${i}$${n} as ${n}`).join(', ')} } from ${JSON.stringify(from)};\n` : 'export {};\n');
}
copyAssets(join(root, 'framework', 'src'), join(dist, 'framework', 'src'));

pkg.exports = Object.fromEntries(
  Object.entries(pkg.exports)
    // The loader entry point has no place in a build that exists to run without it.
    .filter(([key]) => key !== './register')
    .map(([key, target]) => [key, typeof target === 'string' ? target.replace(SOURCE, '.js') : target]),
);
delete pkg.bin;
writeFileSync(join(dist, 'framework', 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
cpSync(join(root, 'example-site', 'package.json'), join(dist, 'example-site', 'package.json'));
writeFileSync(join(dist, 'package.json'), '{ "private": true, "type": "module" }\n');

const link = join(dist, 'node_modules', 'reinhardt');
mkdirSync(dirname(link), { recursive: true });
rmSync(link, { force: true, recursive: true });
symlinkSync(relative(dirname(link), join(dist, 'framework')), link, 'dir');
process.stdout.write(`dist/ ready: node ${relative(root, join(dist, 'example-site', 'manage.js'))} serve\n`);
