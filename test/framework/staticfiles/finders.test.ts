/**
 * Finders, ignore patterns (checked against Python's own fnmatch), path safety, the DEBUG mount
 * plan, and the staticfiles system checks.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runChecks } from '../../../framework/src/checks/index.js';
import { SuspiciousFileOperation } from '../../../framework/src/errors.js';
import '../../../framework/src/staticfiles/checks.js';
import { checkStaticDirsExist, checkStaticRootNotInDirs } from '../../../framework/src/staticfiles/checks.js';
import { type StaticEntry, type StaticFinder, findStatic, getFinders } from '../../../framework/src/staticfiles/finders.js';
import { fnmatch, normalizeIgnorePatterns } from '../../../framework/src/staticfiles/fnmatch.js';
import { isPlainStaticRequest, safeJoin } from '../../../framework/src/staticfiles/safe-path.js';
import { planMounts } from '../../../framework/src/staticfiles/serve.js';
import { makeProject } from './fixtures/project.js';

t.test('fnmatch matches what Python\'s fnmatch.fnmatchcase says', async (t) => {
  const cases: [string, string][] = [
    ['.git', '.*'],
    ['a.css~', '*~'],
    ['CVS', 'CVS'],
    ['cvs', 'CVS'],
    ['js/app.js', '*.js'],
    ['js/app.js', 'js/*'],
    ['js/deep/app.js', 'js/*'],
    ['app.min.js', '*.min.*'],
    ['a', '?'],
    ['ab', '?'],
    ['b', '[ab]'],
    ['c', '[!ab]'],
    ['a', '[!ab]'],
    ['[ab', '[ab'],
    ['a]', '[a]]'],
    [']', '[]]'],
    ['a.b', 'a?b'],
    ['a/b', 'a?b'],
    ['x+y(1)', 'x+y(1)'],
    ['a\\b', 'a\\b'],
    ['-', '[a-]'],
    ['^', '[^]'],
    ['file.txt', '*.TXT'],
    ['line\nbreak', '*'],
  ];
  const script = 'import fnmatch, json, sys\nprint(json.dumps([fnmatch.fnmatchcase(n, p) for n, p in json.load(sys.stdin)]))';
  const python = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' })) as boolean[];
  cases.forEach(([name, pattern], i) => t.equal(fnmatch(name, pattern), python[i], `${JSON.stringify(name)} ~ ${JSON.stringify(pattern)}`));
  t.same(normalizeIgnorePatterns(['vendor/', './vendor', 'a//b', '*.js', '']), ['vendor', 'a/b', '*.js']);
});

t.test('finders: order, prefixes, all matches, ignore patterns, symlinks', async (t) => {
  const p = makeProject(t, {
    'static/css/a.css': 'dirs',
    'static/.git/config': 'x',
    'static/node_modules/pkg/index.js': 'x',
    'vendor-src/lib.js': 'lib',
    'shop/static/css/a.css': 'app',
    'shop/static/shop/s.css': 's',
    'blog/no-static-here.txt': 'x',
    'outside/secret.txt': 'secret',
  });
  symlinkSync(join(p.base, 'static'), join(p.base, 'static/loop'));
  symlinkSync(join(p.base, 'nowhere'), join(p.base, 'static/dangling.css'));
  symlinkSync(join(p.base, 'outside/secret.txt'), join(p.base, 'static/linked.txt'));
  const settings = p.settings({
    INSTALLED_APPS: ['reinhardt.contrib.staticfiles', 'shop', 'blog'],
    STATICFILES_DIRS: [join(p.base, 'static'), ['vendor', join(p.base, 'vendor-src')], join(p.base, 'static')],
  });
  const finders = getFinders(settings);
  const listed = finders.flatMap((f) => [...f.list(['.*', 'node_modules'])]).map((e: StaticEntry) => e.path);
  t.same(listed, ['linked.txt', 'css/a.css', 'vendor/lib.js', 'css/a.css', 'shop/s.css'], 'files before folders (Django), duplicate dirs once, ignored dirs pruned, a link back into the walk not followed, dangling links skipped');
  t.equal(findStatic(settings, 'css/a.css').matches[0], join(p.base, 'static/css/a.css'));
  t.same(findStatic(settings, 'css/a.css', { all: true }).matches, [join(p.base, 'static/css/a.css'), join(p.base, 'shop/static/css/a.css')]);
  t.same(findStatic(settings, 'vendor/lib.js').matches, [join(p.base, 'vendor-src/lib.js')]);
  t.same(findStatic(settings, 'lib.js').matches, [], 'a prefixed folder answers only under its prefix');
  t.same(findStatic(settings, 'css').matches, [], 'a folder is not a file');
  t.same(findStatic(settings, 'css/a.css').searchedLocations, [join(p.base, 'static')], 'stops at the first match');
  t.same(findStatic(settings, 'nope').searchedLocations, [join(p.base, 'static'), join(p.base, 'vendor-src'), join(p.base, 'shop/static')]);
  for (const path of ['../outside/secret.txt', 'css/../../outside/secret.txt', join(p.base, 'outside/secret.txt'), 'css\\a.css', 'css/a.css\0', 'vendor/../../outside/secret.txt']) {
    t.same(findStatic(settings, path, { all: true }).matches, [], JSON.stringify(path));
  }
  t.same(findStatic(settings, 'css/../css/a.css').matches, [join(p.base, 'static/css/a.css')], "'..' that stays inside the folder is fine");
});

t.test('safeJoin', async (t) => {
  t.equal(safeJoin('/srv/static', 'css/a.css'), '/srv/static/css/a.css');
  t.equal(safeJoin('/srv/static', 'css/../a.css'), '/srv/static/a.css');
  for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a\\b', 'a\0b', '..']) {
    t.throws(() => safeJoin('/srv/static', bad), SuspiciousFileOperation, JSON.stringify(bad));
  }
  t.throws(() => safeJoin('/srv/static', '../static-other/x'), { message: /is located outside of the base path component/ });
});

t.test('which request paths the servers even look at', async (t) => {
  for (const ok of ['css/site.css', 'a%20b.txt', 'vendor/lib.min.js', 'x~']) t.ok(isPlainStaticRequest(ok), ok);
  for (const bad of ['', '../x', 'a/../x', './x', '.env', 'a/.git/config', 'a//b', '/x', 'a\\b', '%2e%2e/x', 'a%2fb', 'a%5cb', '%2ex', 'a%00', '%252e', '%', '%zz', 'a/']) {
    t.notOk(isPlainStaticRequest(bad), JSON.stringify(bad));
  }
});

t.test('DEBUG mount plan: one mount per prefix, lookup order kept', async (t) => {
  t.same(planMounts([]), []);
  t.same(
    planMounts([
      { prefix: '', root: '/a' },
      { prefix: 'vendor', root: '/v' },
      { prefix: 'vendor/x', root: '/vx' },
      { prefix: '', root: '/app' },
    ]),
    [
      { prefix: '', roots: ['/a', '/app'] },
      { prefix: 'vendor', roots: ['/a/vendor', '/v', '/app/vendor'] },
      { prefix: 'vendor/x', roots: ['/a/vendor/x', '/v/x', '/vx', '/app/vendor/x'] },
    ],
  );
  t.same(planMounts([{ prefix: 'only', root: '/o' }]), [{ prefix: 'only', roots: ['/o'] }]);
});

t.test('STATICFILES_FINDERS: imported finders, unknown names', async (t) => {
  const p = makeProject(t);
  const custom: StaticFinder = {
    find: (path) => (path === 'x.js' ? ['/virtual/x.js'] : []),
    *list() {
      yield { path: 'x.js', file: '/virtual/x.js', root: '/virtual', prefix: '' };
    },
  };
  const settings = p.settings({ STATICFILES_FINDERS: [custom, 'filesystem'] });
  t.same(findStatic(settings, 'x.js').matches, ['/virtual/x.js']);
  class ClassFinder {
    constructor(readonly settings: unknown) {}
    find() {
      return ['/from/class'];
    }
    list() {
      return [];
    }
  }
  t.same(findStatic(p.settings({ STATICFILES_FINDERS: [ClassFinder] }), 'y').matches, ['/from/class']);
  t.same(findStatic(p.settings({ STATICFILES_FINDERS: [() => custom] }), 'x.js').matches, ['/virtual/x.js'], 'a factory function');
  t.throws(() => getFinders(p.settings({ STATICFILES_FINDERS: ['filesystem', 'app_directories'] })), {
    code: 'RH_ERR_UNKNOWN_COMPONENT',
    message: /STATICFILES_FINDERS\[1\]: 'app_directories' is not a known name\. Known names: 'filesystem', 'app-directories'/,
  });
  t.throws(() => getFinders(p.settings({ STATICFILES_FINDERS: [{ find: () => [] }] })), { message: /STATICFILES_FINDERS\[0\]: the implementation given has no list\(\) method/ });
});

t.test('checks: staticfiles.E002 and staticfiles.W004, registered under the staticfiles tag', async (t) => {
  const p = makeProject(t);
  mkdirSync(join(p.base, 'static'));
  const ctx = (extra: Record<string, unknown>) => ({ settings: p.settings(extra), baseDir: p.base, apps: null });
  t.same(checkStaticRootNotInDirs(ctx({ STATICFILES_DIRS: [join(p.base, 'static')] })), []);
  const e002 = checkStaticRootNotInDirs(ctx({ STATICFILES_DIRS: [join(p.base, 'static'), ['pre', p.root]] }));
  t.equal(e002.length, 1);
  t.equal(e002[0]!.id, 'staticfiles.E002');
  t.equal(e002[0]!.msg, 'The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting.');
  t.ok(e002[0]!.isSerious());

  const w004 = checkStaticDirsExist(ctx({ STATICFILES_DIRS: [join(p.base, 'static'), join(p.base, 'missing')] }));
  t.same(w004.map((m) => [m.id, m.msg]), [['staticfiles.W004', `The directory '${join(p.base, 'missing')}' in the STATICFILES_DIRS setting does not exist.`]]);
  t.notOk(w004[0]!.isSerious());

  t.same(checkStaticDirsExist(ctx({ INSTALLED_APPS: [], STATICFILES_DIRS: [join(p.base, 'missing')] })), [], 'only with the staticfiles app installed');
  const run = await runChecks({ ...ctx({ STATICFILES_DIRS: [join(p.base, 'missing'), p.root] }), tags: ['staticfiles'] });
  t.same(run.messages.map((m) => m.id).sort(), ['staticfiles.E002', 'staticfiles.W004', 'staticfiles.W004']);
});
