/**
 * The manifest storage: hashed names, CSS rewriting, staticfiles.json (checked against Django 3.2
 * itself, run from Debian's python3-django on the same tree), precompressed copies, incremental
 * re-runs, and the template URL helper.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import t from 'tap';
import { StaticManifestError } from '../../../framework/src/errors.js';
import { collectStatic } from '../../../framework/src/staticfiles/collect.js';
import { MANIFEST_NAME } from '../../../framework/src/staticfiles/manifest-file.js';
import type { StaticStorage } from '../../../framework/src/staticfiles/storage.js';
import { createStaticUrlResolver } from '../../../framework/src/staticfiles/url.js';
import { Capture, makeProject } from './fixtures/project.js';

const md5 = (data: string | Buffer): string => createHash('md5').update(data).digest('hex').slice(0, 12);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
const SITE_CSS =
  "@import 'base.css';\n" +
  '@import "theme/dark.css";\n' +
  "body { background: url('../img/bg.png'); }\n" +
  '.q { background: url("../img/bg.png?v=2#top"); }\n' +
  '.u { background: url( ../img/bg.png ); }\n' +
  '.r { background: url(/static/img/bg.png); }\n' +
  ".data { background: url(data:image/png;base64,iVBORw0KGgo=); }\n" +
  '.abs { background: url(https://cdn.example.com/x.png), url(http://example.com/y.png), url(//cdn.example.com/z.png); }\n' +
  '.dyn { background: url(/media/upload.png); }\n' +
  "@font-face { src: url('../fonts/icons.eot?#iefix') format('embedded-opentype'); }\n";
const TREE = {
  'static/css/site.css': SITE_CSS,
  'static/css/base.css': '.base { background: url(../img/bg.png); }\n',
  // Django 3.2 rewrites a bare fragment to url("#blur"); Django 4 leaves it alone, as Reinhardt does.
  'static/css/svg.css': '.svg { filter: url(#blur); }\n',
  'static/css/theme/dark.css': '@import "../base.css";\n.dark { color: #000; }\n',
  'static/img/bg.png': PNG,
  'static/fonts/icons.eot': 'eot-font-bytes',
  'static/js/app.js': `${'console.log("a fairly compressible line of javascript");\n'.repeat(40)}`,
  'static/tiny.txt': 'x',
};

async function collect(settings: Parameters<typeof collectStatic>[0], options: Parameters<typeof collectStatic>[1] = {}) {
  const stdout = new Capture();
  const result = await collectStatic(settings, { stdout, stderr: new Capture(), ...options });
  return { ...result, log: stdout.text };
}

function manifestPaths(root: string): Record<string, string> {
  return (JSON.parse(readFileSync(join(root, MANIFEST_NAME), 'utf8')) as { paths: Record<string, string> }).paths;
}

function manifestProject(t: Parameters<typeof makeProject>[0], extra: Record<string, unknown> = {}) {
  const p = makeProject(t, TREE);
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')], STATICFILES_STORAGE: 'manifest', ...extra });
  return { p, settings };
}

t.test('hashed names, rewritten CSS and staticfiles.json', async (t) => {
  const { p, settings } = manifestProject(t);
  const first = await collect(settings, { verbosity: 2 });
  t.equal(first.summary, `\n8 static files copied to '${p.root}', 8 post-processed.`);

  const paths = manifestPaths(p.root);
  const bg = `img/bg.${md5(PNG)}.png`;
  t.equal(paths['img/bg.png'], bg, "hashed name: the first 12 hex digits of the content's md5 before the extension");
  t.equal(paths['js/app.js'], `js/app.${md5(TREE['static/js/app.js'])}.js`);
  t.match(first.log, `Post-processed 'img/bg.png' as '${bg}'`);

  const css = (name: string): string => readFileSync(join(p.root, paths[name]!), 'utf8');
  const hashedBase = paths['css/base.css']!.split('/').pop();
  const hashedDark = paths['css/theme/dark.css']!.slice('css/'.length);
  const site = css('css/site.css');
  t.equal(paths['css/site.css'], `css/site.${md5(site)}.css`, 'a CSS file is named after its rewritten content');
  t.match(site, `@import url("${hashedBase}");`, "@import '...' becomes @import url(\"...\")");
  t.match(site, `@import url("${hashedDark}");`);
  t.match(site, `body { background: url("../${bg}"); }`, 'single quotes');
  t.match(site, `.q { background: url("../${bg}?v=2#top"); }`, 'query and fragment kept after the hashed name');
  t.match(site, `.u { background: url("../${bg}"); }`, 'unquoted, with spaces');
  t.match(site, `.r { background: url("/static/${bg}"); }`, 'root-relative under STATIC_URL');
  t.match(site, '.data { background: url(data:image/png;base64,iVBORw0KGgo=); }', 'data: untouched');
  t.match(site, 'url(https://cdn.example.com/x.png), url(http://example.com/y.png), url(//cdn.example.com/z.png)', 'absolute URLs untouched');
  t.match(site, '.dyn { background: url(/media/upload.png); }', 'root-relative outside STATIC_URL untouched');
  t.equal(css('css/svg.css'), TREE['static/css/svg.css'], 'a bare fragment untouched');
  t.match(site, `url("../fonts/icons.${md5('eot-font-bytes')}.eot?#iefix")`, 'the @font-face ?#iefix trick survives');
  t.match(css('css/theme/dark.css'), `@import url("../${hashedBase}");`, 'nested CSS resolves relative to its own folder');
  t.equal(readFileSync(join(p.root, 'css/site.css'), 'utf8'), SITE_CSS, 'the unhashed copy is the original');

  const text = readFileSync(join(p.root, MANIFEST_NAME), 'utf8');
  t.match(text, /^\{"paths": \{"css\/base\.css": "css\/base\.[0-9a-f]{12}\.css", /, 'Python json.dumps layout, sorted paths');
  t.match(text, /, "version": "1\.1", "hash": "[0-9a-f]{12}"\}$/);
});

t.test('the same tree collected by Django 3.2 gives the same names, CSS and manifest hash', async (t) => {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import django'], { encoding: 'utf8' });
  t.equal(probe.status, 0, 'python3-django must be installed: run scripts/setup-system.sh (as root)');
  if (probe.status !== 0) return;
  const { p, settings } = manifestProject(t);
  await collect(settings);
  const ours = manifestPaths(p.root);
  const djangoRoot = join(p.base, 'django-collected');
  const script = `
import json, hashlib, django
from django.conf import settings
settings.configure(DEBUG=False, INSTALLED_APPS=['django.contrib.staticfiles'], STATIC_URL='/static/',
    STATIC_ROOT=${JSON.stringify(djangoRoot)}, STATICFILES_DIRS=[${JSON.stringify(join(p.base, 'static'))}],
    STATICFILES_STORAGE='django.contrib.staticfiles.storage.ManifestStaticFilesStorage')
django.setup()
from django.core.management import call_command
call_command('collectstatic', interactive=False, verbosity=0)
paths = json.load(open(${JSON.stringify(join(djangoRoot, MANIFEST_NAME))}))['paths']
ours = json.load(open(${JSON.stringify(join(p.root, MANIFEST_NAME))}))
print(json.dumps({'paths': paths, 'hash': hashlib.md5(json.dumps(sorted(ours['paths'].items())).encode()).hexdigest()[:12], 'ourHash': ours['hash']}))
`;
  const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' })) as { paths: Record<string, string>; hash: string; ourHash: string };
  const withoutSvg = (paths: Record<string, string>) => Object.fromEntries(Object.entries(paths).filter(([k]) => k !== 'css/svg.css'));
  t.same(withoutSvg(ours), withoutSvg(out.paths), "every hashed name is Django's");
  for (const name of ['css/site.css', 'css/theme/dark.css', 'css/base.css']) {
    t.equal(readFileSync(join(p.root, ours[name]!), 'utf8'), readFileSync(join(djangoRoot, out.paths[name]!), 'utf8'), `${name} rewritten like Django`);
  }
  t.equal(out.ourHash, out.hash, 'the manifest "hash" is what Django 4 computes');
});

t.test('precompressed copies: .gz and .br beside hashed text assets, only when smaller', async (t) => {
  const { p, settings } = manifestProject(t);
  await collect(settings);
  const paths = manifestPaths(p.root);
  const js = join(p.root, paths['js/app.js']!);
  const original = readFileSync(js);
  t.same(gunzipSync(readFileSync(`${js}.gz`)), original, 'gzip copy');
  t.same(brotliDecompressSync(readFileSync(`${js}.br`)), original, 'brotli copy');
  t.ok(readFileSync(`${js}.gz`).length < original.length);
  t.ok(existsSync(join(p.root, `${paths['css/site.css']}.gz`)), 'CSS gets them too (the rewritten content)');
  t.same(gunzipSync(readFileSync(join(p.root, `${paths['css/site.css']}.gz`))).toString(), readFileSync(join(p.root, paths['css/site.css']!), 'utf8'));
  t.notOk(existsSync(join(p.root, `${paths['img/bg.png']}.gz`)), 'images are not compressed');
  t.notOk(existsSync(join(p.root, `${paths['tiny.txt']}.gz`)), 'a copy that would be bigger is not written');
  t.notOk(existsSync(join(p.root, 'js/app.js.gz')), 'only hashed names get copies');

  const off = manifestProject(t, { STATICFILES_PRECOMPRESS: false });
  await collect(off.settings);
  t.same(
    readdirSync(off.p.root, { recursive: true }).filter((f) => String(f).endsWith('.gz') || String(f).endsWith('.br')),
    [],
    'STATICFILES_PRECOMPRESS = false writes none',
  );
});

t.test('re-runs: nothing changed writes nothing; a changed image re-hashes the CSS that uses it', async (t) => {
  const { p, settings } = manifestProject(t);
  await collect(settings);
  const before = manifestPaths(p.root);
  const jsGz = join(p.root, `${before['js/app.js']}.gz`);
  const stamp = (f: string) => statSync(join(p.root, f)).mtimeMs;
  const siteStamp = stamp(before['css/site.css']!);
  const manifestStamp = stamp(MANIFEST_NAME);

  const again = await collect(settings, { verbosity: 2 });
  t.equal(again.summary, `\n0 static files copied to '${p.root}', 8 unmodified.`);
  t.match(again.log, "Skipped post-processing 'css/site.css'");
  t.equal(stamp(before['css/site.css']!), siteStamp, 'hashed CSS not rewritten');
  t.equal(stamp(MANIFEST_NAME), manifestStamp, 'manifest not rewritten');

  // Outputs deleted behind collectstatic's back come back.
  rmSync(jsGz);
  rmSync(join(p.root, before['css/base.css']!));
  const repaired = await collect(settings);
  t.ok(existsSync(jsGz));
  t.ok(existsSync(join(p.root, before['css/base.css']!)));
  t.same(repaired.postProcessed.sort(), ['css/base.css', 'js/app.js']);

  // A new image: its hashed name changes, and so do the CSS files that reference it, transitively.
  writeFileSync(join(p.base, 'static/img/bg.png'), Buffer.concat([PNG, Buffer.from([9])]));
  const changed = await collect(settings);
  const after = manifestPaths(p.root);
  t.same(changed.modified, ['img/bg.png']);
  t.not(after['img/bg.png'], before['img/bg.png']);
  for (const css of ['css/site.css', 'css/base.css', 'css/theme/dark.css']) t.not(after[css], before[css], `${css} re-hashed`);
  t.equal(after['js/app.js'], before['js/app.js']);
  t.match(readFileSync(join(p.root, after['css/theme/dark.css']!), 'utf8'), after['css/base.css']!.split('/').pop()!);
  t.ok(existsSync(join(p.root, before['img/bg.png']!)), 'old hashed files stay for pages still cached elsewhere');

  const noPost = await collect(settings, { postProcess: false, clear: true });
  t.equal(noPost.postProcessed.length, 0);
  t.notOk(existsSync(join(p.root, MANIFEST_NAME)), '--no-post-process writes no hashed files or manifest');
});

t.test('a hashed name keeps its bytes when the copy it may share an inode with is replaced', async (t) => {
  const { p, settings } = manifestProject(t);
  await collect(settings);
  const before = manifestPaths(p.root);
  const read = (f: string) => readFileSync(join(p.root, f), 'utf8');
  const oldJs = read(before['js/app.js']!);
  const oldSvg = read(before['css/svg.css']!);
  writeFileSync(join(p.base, 'static/js/app.js'), 'console.log("changed");\n');
  writeFileSync(join(p.base, 'static/css/svg.css'), '.svg { filter: url(#other); }\n');
  await collect(settings);
  const after = manifestPaths(p.root);
  t.equal(read('js/app.js'), 'console.log("changed");\n', 'the unhashed copy is the new source');
  t.equal(read(after['js/app.js']!), 'console.log("changed");\n');
  t.equal(read(before['js/app.js']!), oldJs, 'the old hashed name still has the old bytes');
  t.equal(read(before['css/svg.css']!), oldSvg, 'likewise a CSS file that needed no rewriting');
  t.equal(after['js/app.js'], `js/app.${md5('console.log("changed");\n')}.js`);
});

t.test('a run without post-processing forgets the hashes, so the next one hashes changed files afresh', async (t) => {
  const { p, settings } = manifestProject(t);
  await collect(settings);
  writeFileSync(join(p.base, 'static/tiny.txt'), 'y');
  await collect(settings, { postProcess: false });
  await collect(settings);
  t.equal(manifestPaths(p.root)['tiny.txt'], `tiny.${md5('y')}.txt`);
  t.equal(readFileSync(join(p.root, `tiny.${md5('y')}.txt`), 'utf8'), 'y');
});

t.test('CSS errors: a missing reference and a reference cycle', async (t) => {
  const missing = makeProject(t, { 'static/css/a.css': 'a { background: url("../img/nope.png"); }' });
  await t.rejects(
    collect(missing.settings({ STATICFILES_DIRS: [join(missing.base, 'static')], STATICFILES_STORAGE: 'manifest' })),
    { constructor: StaticManifestError, message: /The CSS file 'css\/a\.css' references a file which could not be found: '\.\.\/img\/nope\.png' \(looked for 'img\/nope\.png'\)/ },
  );
  const cycle = makeProject(t, { 'static/a.css': '@import "b.css";', 'static/b.css': 'x { background: url(a.css); }' });
  await t.rejects(collect(cycle.settings({ STATICFILES_DIRS: [join(cycle.base, 'static')], STATICFILES_STORAGE: 'manifest' })), {
    constructor: StaticManifestError,
    message: /Max post-process passes exceeded/,
  });
  const escape = makeProject(t, { 'static/a.css': 'x { background: url(../../../etc/passwd); }' });
  await t.rejects(collect(escape.settings({ STATICFILES_DIRS: [join(escape.base, 'static')], STATICFILES_STORAGE: 'manifest' })), {
    message: /could not be found/,
  });
});

t.test('the template URL helper', async (t) => {
  const { p, settings } = manifestProject(t);
  await collect(settings);
  const paths = manifestPaths(p.root);

  const url = createStaticUrlResolver(settings);
  t.equal(url('css/site.css'), `/static/${paths['css/site.css']}`);
  t.equal(url('/img/bg.png'), `/static/${paths['img/bg.png']}`, 'a leading slash stays under STATIC_URL');
  t.equal(url('fonts/icons.eot?#iefix'), `/static/${paths['fonts/icons.eot']}?#iefix`);
  t.throws(() => url('css/missing.css'), { constructor: StaticManifestError, message: /Missing staticfiles manifest entry for 'css\/missing\.css'/ });

  rmSync(join(p.root, MANIFEST_NAME));
  t.equal(url('js/app.js'), `/static/${paths['js/app.js']}`, 'the manifest was read once, when the helper was made');
  t.throws(() => createStaticUrlResolver(settings)('js/app.js'), { message: /There is no manifest at .*staticfiles\.json: run collectstatic/ });

  const cdn = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')], STATICFILES_STORAGE: 'manifest', STATIC_URL: 'https://cdn.example.com/assets/' });
  await collect(cdn);
  t.equal(createStaticUrlResolver(cdn)('css/site.css'), `https://cdn.example.com/assets/${manifestPaths(p.root)['css/site.css']}`);

  const debug = p.settings({ STATICFILES_STORAGE: 'manifest', DEBUG: true });
  t.equal(createStaticUrlResolver(debug)('css/site.css'), '/static/css/site.css', 'DEBUG: plain names, no collectstatic needed');

  const plain = createStaticUrlResolver(p.settings({ STATIC_URL: '/s/' }));
  t.equal(plain('css/site.css'), '/s/css/site.css');
  t.equal(plain('img/my logo#1.png?v=3'), '/s/img/my%20logo#1.png?v=3', 'the fragment starts at the first #');
  t.equal(plain('img/my logo.png?v=3'), '/s/img/my%20logo.png?v=3', 'segments encoded, query kept');
  t.equal(plain('a/b"c<d>.js'), '/s/a/b%22c%3Cd%3E.js');

  t.throws(() => createStaticUrlResolver(p.settings({ STATIC_URL: null })), { message: /without having set the required STATIC_URL setting/ });
});

t.test('STATICFILES_STORAGE: unknown names fail listing the known ones; imported storages are used', async (t) => {
  const p = makeProject(t, { 'static/a.txt': 'a' });
  t.throws(() => createStaticUrlResolver(p.settings({ STATICFILES_STORAGE: 'hashed' })), {
    code: 'RH_ERR_UNKNOWN_COMPONENT',
    message: "STATICFILES_STORAGE: 'hashed' is not a known name. Known names: 'plain', 'manifest'; or pass an imported implementation instead of a string.",
  });
  const seen: string[] = [];
  const custom: StaticStorage = {
    name: 'custom',
    urlResolver: () => (path) => `https://files.example.com/${path}`,
    postProcess: async (files) => {
      seen.push(...files.keys());
      return { results: [...files.keys()].map((original) => ({ original, hashed: null, processed: true })) };
    },
  };
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')], STATICFILES_STORAGE: custom });
  t.equal(createStaticUrlResolver(settings)('a.txt'), 'https://files.example.com/a.txt');
  const result = await collect(settings);
  t.same(seen, ['a.txt']);
  t.equal(result.summary, `\n1 static file copied to '${p.root}', 1 post-processed.`);
  class Factory {
    readonly name = 'made';
    urlResolver() {
      return (path: string) => `/made/${path}`;
    }
  }
  t.equal(createStaticUrlResolver(p.settings({ STATICFILES_STORAGE: Factory }))('x'), '/made/x', 'a class is instantiated with the settings');
  t.throws(() => createStaticUrlResolver(p.settings({ STATICFILES_STORAGE: { name: 'broken' } })), { message: /has no urlResolver\(\) method/ });
});
