/**
 * collectStatic() with the plain storage on real temporary trees: first run, unchanged re-run,
 * changed files, --clear, --dry-run, ignore patterns, duplicates, --link, the progress bar, and
 * the refusals that protect the project (STATIC_ROOT unset, '/', the base folder, the sources).
 */
import { existsSync, lstatSync, readFileSync, readlinkSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CommandError, ImproperlyConfigured } from '../../../framework/src/errors.js';
import { collectStatic } from '../../../framework/src/staticfiles/collect.js';
import { STATE_FILE } from '../../../framework/src/staticfiles/collect-state.js';
import type { StaticStorage } from '../../../framework/src/staticfiles/storage.js';
import { Capture, makeProject } from './fixtures/project.js';

const SITE = {
  'static/css/site.css': 'body { color: #333; }\n',
  'static/js/app.js': 'console.log("app");\n',
  'static/img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
  'static/.env': 'SECRET=1\n',
  'static/css/site.css~': 'editor backup\n',
  'static/CVS/Entries': 'cvs\n',
  'static/vendor/lib.js': 'lib\n',
  'stores/static/stores/stores.css': '.store {}\n',
  'stores/static/js/app.js': 'console.log("the app copy, shadowed");\n',
  'drinks/static/drinks/menu.txt': 'espresso\n',
};

function run(settings: Parameters<typeof collectStatic>[0], options: Parameters<typeof collectStatic>[1] = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  return collectStatic(settings, { stdout, stderr, ...options }).then((result) => ({ result, stdout: stdout.text, stderr: stderr.text }));
}

function files(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => !statSync(join(root, f)).isDirectory())
    .sort();
}

t.test('first run copies every found file; an unchanged re-run copies nothing', async (t) => {
  const p = makeProject(t, SITE);
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')], INSTALLED_APPS: ['reinhardt.contrib.staticfiles', 'stores', 'drinks'] });

  const first = await run(settings);
  t.equal(first.result.summary, `\n6 static files copied to '${p.root}'.`);
  t.same(files(p.root), [
    STATE_FILE,
    'css/site.css',
    'drinks/menu.txt',
    'img/logo.svg',
    'js/app.js',
    'stores/stores.css',
    'vendor/lib.js',
  ]);
  t.equal(readFileSync(join(p.root, 'js/app.js'), 'utf8'), 'console.log("app");\n', 'STATICFILES_DIRS wins over an app');
  t.match(first.stderr, "Found another file with the destination path 'js/app.js'. It will be ignored since only the first encountered file is collected. If this is not what you want, make sure every static file has a unique path.");
  t.notMatch(first.stdout, 'Copying', 'per-file lines only at verbosity 2');

  const again = await run(settings);
  t.equal(again.result.summary, `\n0 static files copied to '${p.root}', 6 unmodified.`);
  t.same(again.result.modified, []);

  const verbose = await run(settings, { verbosity: 2 });
  t.match(verbose.stdout, "Skipping 'css/site.css' (not modified)");

  const quiet = await run(settings, { verbosity: 0 });
  t.equal(quiet.stdout, '');
  t.equal(quiet.stderr, '', 'the duplicate notice is a verbosity 1 message');
});

t.test('a changed source is copied again, even when its mtime goes backwards', async (t) => {
  const p = makeProject(t, SITE);
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')] });
  await run(settings);
  const src = join(p.base, 'static/css/site.css');
  writeFileSync(src, 'body { color: red; }\n');
  const old = new Date('2001-01-01T00:00:00Z');
  utimesSync(src, old, old);
  const { result } = await run(settings, { verbosity: 2 });
  t.same(result.modified, ['css/site.css']);
  t.equal(readFileSync(join(p.root, 'css/site.css'), 'utf8'), 'body { color: red; }\n');

  // A new file shows up as one more copied file.
  p.write({ 'static/css/new.css': 'p {}\n' });
  const next = await run(settings);
  t.equal(next.result.summary, `\n1 static file copied to '${p.root}', 4 unmodified.`);
});

t.test('an unchanged re-run writes nothing, and still notices what changed in STATIC_ROOT behind its back', async (t) => {
  const p = makeProject(t, SITE);
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')] });
  await run(settings);
  const stateStamp = statSync(join(p.root, STATE_FILE)).mtimeMs;
  const again = await run(settings);
  t.equal(again.result.summary, `\n0 static files copied to '${p.root}', 4 unmodified.`);
  t.same(again.result.unmodified, ['css/site.css', 'img/logo.svg', 'js/app.js', 'vendor/lib.js'], 'in the order found');
  t.equal(statSync(join(p.root, STATE_FILE)).mtimeMs, stateStamp, 'the state is not written again');

  rmSync(join(p.root, 'js/app.js'));
  const repaired = await run(settings);
  t.same(repaired.result.modified, ['js/app.js'], 'a collected file deleted from STATIC_ROOT is copied again');
  t.equal(readFileSync(join(p.root, 'js/app.js'), 'utf8'), SITE['static/js/app.js']);

  writeFileSync(join(p.root, 'stray.txt'), 'not collected');
  const stray = await run(settings);
  t.same(stray.result.modified, [], 'a file added to STATIC_ROOT changes nothing collected');
  t.equal((await run(settings)).result.unmodified.length, 4);

  const linked = await run(settings, { link: true });
  t.equal(linked.result.modified.length, 4, 'switching to --link is a different run');
});

t.test('a storage that is not incremental is asked to post-process on every run', async (t) => {
  const p = makeProject(t, SITE);
  let calls = 0;
  const storage: StaticStorage = {
    name: 'uploads',
    urlResolver: () => (path) => path,
    postProcess: async (files) => {
      calls++;
      return { results: [...files.keys()].map((original) => ({ original, hashed: null, processed: false })) };
    },
  };
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')], STATICFILES_STORAGE: storage });
  await run(settings);
  await run(settings);
  await run(settings);
  t.equal(calls, 3);
});

t.test('without a saved state, a destination at least as new and of the same size is kept (Django)', async (t) => {
  const p = makeProject(t, { 'static/a.css': 'a {}\n', 'static/b.css': 'b {}\n' });
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')] });
  await run(settings);
  // Simulate a STATIC_ROOT filled by another tool: no state file, b.css stale (older than its source).
  writeFileSync(join(p.root, STATE_FILE), 'not json');
  const past = new Date(Date.now() - 3600_000);
  utimesSync(join(p.root, 'b.css'), past, past);
  const { result } = await run(settings);
  t.same(result.unmodified, ['a.css']);
  t.same(result.modified, ['b.css']);
});

t.test('--clear empties STATIC_ROOT first, logging each deletion', async (t) => {
  const p = makeProject(t, SITE);
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')] });
  await run(settings);
  mkdirSync(join(p.root, 'stale/deep'), { recursive: true });
  writeFileSync(join(p.root, 'stale/deep/old.js'), 'old');
  const { result, stdout } = await run(settings, { clear: true });
  t.match(stdout, "Deleting 'stale/deep/old.js'");
  t.notOk(existsSync(join(p.root, 'stale')), 'emptied folders go too');
  t.ok(existsSync(p.root), 'STATIC_ROOT itself stays');
  t.equal(result.summary, `\n4 static files copied to '${p.root}'.`, 'everything is copied afresh');
});

t.test('--dry-run writes nothing and says what it would do', async (t) => {
  const p = makeProject(t, SITE);
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')] });
  const { result, stdout } = await run(settings, { dryRun: true });
  t.notOk(existsSync(p.root), 'STATIC_ROOT not even created');
  t.match(stdout, `Pretending to copy '${join(p.base, 'static/css/site.css')}'`);
  t.equal(result.summary, `\n4 static files copied to '${p.root}'.`);

  await run(settings);
  writeFileSync(join(p.root, 'extra.txt'), 'x');
  const cleared = await run(settings, { dryRun: true, clear: true });
  t.match(cleared.stdout, "Pretending to delete 'extra.txt'");
  t.ok(existsSync(join(p.root, 'extra.txt')), 'nothing deleted in a dry run');
});

t.test('ignore patterns: defaults, --ignore on names and paths, --no-default-ignore', async (t) => {
  const p = makeProject(t, SITE);
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')] });
  const ignored = await run(settings, { ignorePatterns: ['vendor', '*.svg'], dryRun: true });
  t.same(ignored.result.modified.sort(), ['css/site.css', 'js/app.js']);

  const byPath = await run(settings, { ignorePatterns: ['js/*'], dryRun: true });
  t.notOk(byPath.result.modified.includes('js/app.js'), "'js/*' matches the relative path");

  const everything = await run(settings, { useDefaultIgnorePatterns: false, dryRun: true });
  t.same(everything.result.modified.sort(), ['.env', 'CVS/Entries', 'css/site.css', 'css/site.css~', 'img/logo.svg', 'js/app.js', 'vendor/lib.js']);

  const custom = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')], STATICFILES_IGNORE_PATTERNS: ['*.js'] });
  const fromSetting = await run(custom, { dryRun: true });
  t.ok(fromSetting.result.modified.includes('.env'), 'STATICFILES_IGNORE_PATTERNS replaces the defaults');
  t.notOk(fromSetting.result.modified.includes('js/app.js'));
});

t.test('prefixed STATICFILES_DIRS entries collect under their prefix', async (t) => {
  const p = makeProject(t, { 'assets/a.css': 'a', 'vendor-src/lib.js': 'lib' });
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'assets'), ['vendor', join(p.base, 'vendor-src')]] });
  await run(settings);
  t.equal(readFileSync(join(p.root, 'vendor/lib.js'), 'utf8'), 'lib');
  t.ok(existsSync(join(p.root, 'a.css')));
});

t.test('--link creates symlinks, and switching back to copies replaces them', async (t) => {
  const p = makeProject(t, SITE);
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')] });
  const linked = await run(settings, { link: true });
  t.equal(linked.result.summary, `\n4 static files symlinked to '${p.root}'.`);
  const dest = join(p.root, 'css/site.css');
  t.ok(lstatSync(dest).isSymbolicLink());
  t.equal(readlinkSync(dest), join(p.base, 'static/css/site.css'));

  const again = await run(settings, { link: true });
  t.equal(again.result.summary, `\n0 static files symlinked to '${p.root}', 4 unmodified.`);

  const copied = await run(settings);
  t.equal(copied.result.modified.length, 4, 'links are replaced by copies');
  t.notOk(lstatSync(dest).isSymbolicLink());
  t.equal(readFileSync(join(p.base, 'static/css/site.css'), 'utf8'), SITE['static/css/site.css'], 'the source was not written through the link');
});

t.test('a progress bar on a terminal stderr for more than 200 files, never on a pipe', async (t) => {
  const many: Record<string, string> = {};
  for (let i = 0; i < 250; i++) many[`static/f/${i}.txt`] = String(i);
  const p = makeProject(t, many);
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')] });
  const tty = new Capture();
  tty.isTTY = true;
  await collectStatic(settings, { stdout: new Capture(), stderr: tty });
  t.match(tty.text, /\rCollecting static files \[#+\] 250\/250\n$/);
  const pipe = await run(settings);
  t.equal(pipe.stderr, '');
});

t.test('refusals', async (t) => {
  const p = makeProject(t, SITE);
  await t.rejects(run(p.settings({ STATIC_ROOT: null })), {
    constructor: ImproperlyConfigured,
    message: /You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path/,
  });
  await t.rejects(run(p.settings({ STATIC_ROOT: '/' }), { clear: true }), { message: /Refusing to clear STATIC_ROOT \(\/\): it is the root of the file system/ });
  await t.rejects(run(p.settings({ STATIC_ROOT: p.base, STATICFILES_DIRS: [] }), { clear: true }), { message: /base folder/ });
  await t.rejects(run(p.settings({ STATICFILES_DIRS: [join(p.base, 'static')], STATIC_ROOT: join(p.base, 'static') })), {
    message: /contains the static folder/,
  });
  t.ok(existsSync(join(p.base, 'static/css/site.css')), 'nothing was deleted');
});

t.test('interactive: asks with Django\'s question when STATIC_ROOT has files; only "yes" goes ahead', async (t) => {
  const p = makeProject(t, SITE);
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')] });
  let asked = '';
  await run(settings, { interactive: true, confirm: (q) => ((asked = q), 'no') });
  t.equal(asked, '', 'no question while STATIC_ROOT is empty');
  await run(settings);
  await t.rejects(run(settings, { interactive: true, confirm: (q) => ((asked = q), 'no') }), {
    constructor: CommandError,
    message: 'Collecting static files cancelled.',
  });
  t.equal(
    asked,
    `\nYou have requested to collect static files at the destination\nlocation as specified in your settings:\n\n    ${p.root}\n\n` +
      "This will overwrite existing files!\nAre you sure you want to do this?\n\nType 'yes' to continue, or 'no' to cancel: ",
  );
  await run(settings, { interactive: true, clear: true, dryRun: true, confirm: (q) => ((asked = q), 'yes') });
  t.match(asked, /^\nYou have activated the --dry-run option so no files will be modified\.\n\n/);
  t.match(asked, 'This will DELETE ALL FILES in this location!\n');
});
