// Second half of `npm run build`, after tsc has compiled dist/ (and type-checked everything): bundle
// the framework, copy what tsc does not (templates, static files, example configs, package.json
// files), and make `reinhardt/...` imports inside
// dist/ resolve to the compiled framework. The framework's own package.json keeps pointing at
// the .ts sources (what the tsx loader and the tests use); dist/ gets a copy whose exports name
// the .js files, linked as dist/node_modules/reinhardt. Other packages resolve from the
// repository's node_modules, one folder up, as Node walks parent folders.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

// The framework is bundled: tsc wrote one file per module (about 180 loaded by `serve`), and
// loading ES modules one by one (resolve, read, compile, link, parse the source map) was most of
// the cold start beyond Fastify's own. esbuild bundles each public subpath, with the modules they
// share in chunks and the lazily imported ones in chunks of their own; npm packages stay outside.
// Source maps point at the .ts files; the framework reads them when it shows a stack
// (utils/source-maps.ts), so `serve` runs without --enable-source-maps.
const pkg = JSON.parse(readFileSync(join(root, 'framework', 'package.json'), 'utf8'));
const entryPoints = Object.values(pkg.exports)
  .filter((target) => typeof target === 'string' && SOURCE.test(target))
  .map((target) => join(root, 'framework', target));
rmSync(join(dist, 'framework', 'src'), { recursive: true, force: true });
await build({
  entryPoints,
  outbase: join(root, 'framework', 'src'),
  outdir: join(dist, 'framework', 'src'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  sourcesContent: false,
  // Class and function names are part of behaviour: error names, 'reinhardt.security.<Name>'
  // logger names, messages that name a type. Bundling must not rename them.
  keepNames: true,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
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
