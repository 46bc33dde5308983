/**
 * Where templates come from: DIRS before app folders, overrides, APP_DIRS off, layouts and
 * includes through the same lookup, missing templates with every path tried, hostile names,
 * and the compiled-template cache on and off.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ImproperlyConfigured, SuspiciousFileOperation, TemplateDoesNotExist } from '../../../framework/src/errors.js';
import { createTemplateEngine, IncludeDoesNotExist, type TemplateBackendArgs, type TemplateEngine } from '../../../framework/src/templates/index.js';
import { makeProject, thrown } from '../../fixtures/templates/project.js';

const SITE_FILES = {
  'site/templates/base.html': '<main><%~ it.body %></main><%~ include("footer.html") %>',
  'site/templates/stores/detail.html': 'site detail of <%= it.name %>',
  'stores/templates/stores/detail.html': 'app detail',
  'stores/templates/stores/list.html': '<% layout("base.html") %>list: <%~ include("stores/item.html", { n: 1 }) %>',
  'stores/templates/stores/item.html': 'item <%= it.n %>',
  'stores/templates/footer.html': '<footer>stores footer</footer>',
  'drinks/templates/footer.html': '<footer>drinks footer</footer>',
  'drinks/templates/drinks/menu.html': 'menu',
};

function siteEngine(t: Test, extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
  const project = makeProject(t, SITE_FILES);
  const settings = project.settings({
    DEBUG: false,
    INSTALLED_APPS: ['reinhardt.contrib.staticfiles', 'stores', 'drinks'],
    TEMPLATES: [{ BACKEND: 'eta', DIRS: [join(project.baseDir, 'site/templates')], APP_DIRS: true, OPTIONS: options, ...extra }],
  });
  return { project, engine: createTemplateEngine(settings) };
}

t.test('DIRS come before app folders, and apps in INSTALLED_APPS order', async (t) => {
  const { project, engine } = siteEngine(t);
  t.equal(engine.renderToString('stores/detail.html', { name: 'Central' }), 'site detail of Central', 'the site overrides the app template');
  t.equal(engine.renderToString('drinks/menu.html'), 'menu');
  t.equal(engine.getTemplate('footer.html').origin, join(project.baseDir, 'stores/templates/footer.html'), 'first installed app wins');
  t.same(engine.dirs, [
    join(project.baseDir, 'site/templates'),
    join(project.baseDir, 'stores/templates'),
    join(project.baseDir, 'drinks/templates'),
  ]);
  t.equal(engine.getTemplate('stores//./detail.html').name, 'stores/detail.html', 'names are normalised');
});

t.test('layouts and includes use the same lookup across DIRS and app folders', async (t) => {
  const { engine } = siteEngine(t);
  t.equal(engine.renderToString('stores/list.html'), '<main>list: item 1</main><footer>stores footer</footer>');
});

t.test('APP_DIRS false searches DIRS only', async (t) => {
  const { project, engine } = siteEngine(t, { APP_DIRS: false });
  t.same(engine.dirs, [join(project.baseDir, 'site/templates')]);
  t.equal(engine.renderToString('stores/detail.html', { name: 'x' }), 'site detail of x');
  const err = thrown(() => engine.renderToString('drinks/menu.html'));
  t.type(err, TemplateDoesNotExist);
  t.same((err as TemplateDoesNotExist).tried, [join(project.baseDir, 'site/templates/drinks/menu.html')]);
});

t.test('a missing template lists every path tried, in order', async (t) => {
  const { project, engine } = siteEngine(t);
  const tried = [
    join(project.baseDir, 'site/templates/nope/page.html'),
    join(project.baseDir, 'stores/templates/nope/page.html'),
    join(project.baseDir, 'drinks/templates/nope/page.html'),
  ];
  for (let i = 0; i < 2; i++) {
    // The second time comes from the miss cache and must say the same.
    const err = thrown(() => engine.renderToString('nope/page.html')) as TemplateDoesNotExist;
    t.type(err, TemplateDoesNotExist);
    t.equal(err.code, 'RH_ERR_TEMPLATE_DOES_NOT_EXIST');
    t.equal(err.template, 'nope/page.html');
    t.same(err.tried, tried);
    t.match(err.message, tried[2]!);
  }

  const sel = thrown(() => engine.selectTemplate(['a.html', 'stores/missing.html'])) as TemplateDoesNotExist;
  t.type(sel, TemplateDoesNotExist);
  t.equal(sel.template, 'a.html, stores/missing.html');
  t.equal(sel.tried.length, 6, 'three folders for each of two names');
  t.equal(sel.tried[0], join(project.baseDir, 'site/templates/a.html'));
  t.equal(sel.tried[5], join(project.baseDir, 'drinks/templates/stores/missing.html'));
  t.equal(engine.selectTemplate(['nope.html', 'drinks/menu.html']).name, 'drinks/menu.html');
  t.equal(engine.renderToString(['nope.html', 'drinks/menu.html']), 'menu', 'renderToString takes a list like Django');
  t.type(thrown(() => engine.selectTemplate([])), TemplateDoesNotExist);
});

t.test('a missing layout or include names itself and the template that asked for it', async (t) => {
  const { project, engine } = siteEngine(t);
  project.write('site/templates/page.html', '<% layout("layouts/missing.html") %>hello');
  project.write('site/templates/inc.html', 'a\n<%~ include("partials/missing.html") %>');
  const layout = thrown(() => engine.renderToString('page.html')) as IncludeDoesNotExist;
  t.type(layout, IncludeDoesNotExist);
  t.type(layout, TemplateDoesNotExist, 'still a TemplateDoesNotExist for the error funnel');
  t.equal(layout.template, 'layouts/missing.html');
  t.equal(layout.askedBy, 'page.html');
  t.equal(layout.tried.length, 3);
  t.equal(layout.tried[0], join(project.baseDir, 'site/templates/layouts/missing.html'));
  t.match(layout.message, "Template 'layouts/missing.html' (asked for by 'page.html') does not exist.");

  const include = thrown(() => engine.renderToString('inc.html')) as IncludeDoesNotExist;
  t.type(include, IncludeDoesNotExist);
  t.equal(include.template, 'partials/missing.html');
  t.equal(include.askedBy, 'inc.html');
  t.same(
    include.tried,
    ['site', 'stores', 'drinks'].map((d) => join(project.baseDir, d === 'site' ? 'site/templates' : `${d}/templates`, 'partials/missing.html')),
  );

  // selectTemplate does not mistake a broken layout for a missing candidate.
  const chosen = thrown(() => engine.renderToString(['page.html', 'drinks/menu.html']));
  t.type(chosen, IncludeDoesNotExist);
});

t.test('hostile template names are refused before touching the file system', async (t) => {
  const { project, engine } = siteEngine(t);
  project.write('secret.txt', 'SECRET');
  const hostile = [
    '../secret.txt',
    '../../secret.txt',
    'stores/../../secret.txt',
    '..',
    join(project.baseDir, 'secret.txt'),
    '/etc/passwd',
    '..\\secret.txt',
    'stores\\detail.html',
    'stores/detail.html\0.txt',
    'C:/Windows/win.ini',
    'c:secret.txt',
  ];
  for (const name of hostile) {
    const err = thrown(() => engine.renderToString(name));
    t.type(err, SuspiciousFileOperation, JSON.stringify(name));
    t.equal((err as SuspiciousFileOperation).code, 'RH_ERR_SUSPICIOUS_FILE');
  }
  project.write('site/templates/evil.html', '<%~ include("../../secret.txt") %>');
  t.type(thrown(() => engine.renderToString('evil.html')), SuspiciousFileOperation, 'includes are checked too');
  project.write('site/templates/evil-layout.html', '<% layout("/etc/passwd") %>x');
  t.type(thrown(() => engine.renderToString('evil-layout.html')), SuspiciousFileOperation, 'layouts are checked too');
  t.type(thrown(() => engine.renderToString(['ok.html', '../secret.txt'])), SuspiciousFileOperation, 'selectTemplate too');
  t.type(thrown(() => engine.renderToString('')), TemplateDoesNotExist, 'an empty name matches nothing');
  t.equal(engine.renderToString('stores/detail.html', { name: '.hidden' }), 'site detail of .hidden');
  project.write('site/templates/.well-known/x.html', 'dotted');
  t.equal(engine.renderToString('.well-known/x.html'), 'dotted', 'a dot-folder is not a parent reference');
});

t.test('caching: on by default with DEBUG false, off with DEBUG true, OPTIONS.cache wins', async (t) => {
  const cases: [string, boolean, Record<string, unknown>, boolean][] = [
    ['DEBUG false', false, {}, true],
    ['DEBUG true', true, {}, false],
    ['DEBUG true, cache: true', true, { cache: true }, true],
    ['DEBUG false, cache: false', false, { cache: false }, false],
  ];
  for (const [label, debug, options, cached] of cases) {
    const project = makeProject(t, {
      'templates/page.html': '<% layout("base.html") %>v1 <%~ include("part.html") %>',
      'templates/base.html': 'base1[<%~ it.body %>]',
      'templates/part.html': 'part1',
    });
    const engine = createTemplateEngine(
      project.settings({ DEBUG: debug, TEMPLATES: [{ BACKEND: 'eta', DIRS: [join(project.baseDir, 'templates')], OPTIONS: options }] }),
    );
    t.equal(engine.renderToString('page.html'), 'base1[v1 part1]', label);
    t.equal(engine.fromString('<%= it.a %>', { a: 1 }), '1');
    project.write('templates/page.html', '<% layout("base.html") %>v2 <%~ include("part.html") %>');
    project.write('templates/base.html', 'base2[<%~ it.body %>]');
    project.write('templates/part.html', 'part2');
    t.equal(engine.renderToString('page.html'), cached ? 'base1[v1 part1]' : 'base2[v2 part2]', `${label}: after editing the files`);
    // A template added later in a folder that comes first is only seen without caching.
    project.write('templates/new.html', 'new');
    t.equal(engine.renderToString('page.html'), cached ? 'base1[v1 part1]' : 'base2[v2 part2]');
    const missingThenAdded = (): string => engine.renderToString('later.html');
    t.type(thrown(missingThenAdded), TemplateDoesNotExist);
    project.write('templates/later.html', 'later');
    if (cached) t.type(thrown(missingThenAdded), TemplateDoesNotExist, `${label}: misses are cached too`);
    else t.equal(missingThenAdded(), 'later', `${label}: a new file is found`);
    if (cached) {
      // A warm render touches no file at all: it still works with the whole folder gone.
      rmSync(join(project.baseDir, 'templates'), { recursive: true });
      t.equal(engine.renderToString('page.html'), 'base1[v1 part1]', `${label}: no file-system work once cached`);
    }
  }
});

t.test('getTemplate resolves and compiles once, and renders many times', async (t) => {
  const { engine } = siteEngine(t);
  const a = engine.getTemplate('stores/detail.html');
  t.equal(a, engine.getTemplate('stores/detail.html'), 'cached template object');
  t.equal(a.render({ name: 'a' }), 'site detail of a');
  t.equal(await a.renderAsync({ name: 'b' }), 'site detail of b');
  t.equal(await engine.renderAsync('stores/list.html'), '<main>list: item 1</main><footer>stores footer</footer>');
  await t.rejects(engine.renderAsync('nope.html'), TemplateDoesNotExist);
});

t.test('TEMPLATES configuration errors', async (t) => {
  const project = makeProject(t, { 'templates/a.html': 'A', 'other/a.html': 'OTHER A', 'other/b.html': 'OTHER B' });
  const dir = join(project.baseDir, 'templates');

  const empty = createTemplateEngine(project.settings({}));
  for (const use of [() => empty.renderToString('a.html'), () => empty.getTemplate('a.html'), () => empty.fromString('x')]) {
    const err = thrown(use);
    t.type(err, ImproperlyConfigured);
    t.match((err as Error).message, /TEMPLATES setting is empty/);
    t.match((err as Error).message, /BACKEND: 'eta'/);
  }
  await t.rejects(empty.renderAsync('a.html'), ImproperlyConfigured);

  const unknown = thrown(() => createTemplateEngine(project.settings({ TEMPLATES: [{ BACKEND: 'jinja2' }] })));
  t.type(unknown, ImproperlyConfigured);
  t.equal((unknown as ImproperlyConfigured).code, 'RH_ERR_UNKNOWN_COMPONENT');
  t.match((unknown as Error).message, /TEMPLATES\[0\]\.BACKEND: unknown template backend 'jinja2'\. Known backends: 'eta'/);

  const badOption = thrown(() => createTemplateEngine(project.settings({ TEMPLATES: [{ BACKEND: 'eta', OPTIONS: { varName: 'data' } }] })));
  t.type(badOption, ImproperlyConfigured);
  t.match((badOption as Error).message, /unknown option 'varName'.*Known options: context_processors, autoescape, cache/);
  const badType = thrown(() => createTemplateEngine(project.settings({ TEMPLATES: [{ BACKEND: 'eta', OPTIONS: { autoescape: 'no' } }] })));
  t.match((badType as Error).message, "TEMPLATES[0].OPTIONS.autoescape: expected a boolean, found the string 'no'");

  // A factory reference as BACKEND receives its entry; several entries are tried in order.
  const seen: TemplateBackendArgs[] = [];
  const factory = (args: TemplateBackendArgs): TemplateEngine => {
    seen.push(args);
    return createTemplateEngine(project.settings({ TEMPLATES: [{ BACKEND: 'eta', DIRS: [join(project.baseDir, 'other')] }] }));
  };
  const chained = createTemplateEngine(project.settings({ TEMPLATES: [{ BACKEND: 'eta', DIRS: [dir] }, { BACKEND: factory, OPTIONS: { x: 1 } }] }), {
    globals: { g: 1 },
  });
  t.equal(seen.length, 1);
  t.equal(seen[0]!.label, 'TEMPLATES[1]');
  t.same(seen[0]!.config.OPTIONS, { x: 1 });
  t.same(seen[0]!.globals, { g: 1 });
  t.equal(chained.renderToString('a.html'), 'A', 'first engine first');
  t.equal(chained.renderToString('b.html'), 'OTHER B', 'then the next');
  t.same(chained.dirs, [dir, join(project.baseDir, 'other')]);
  const miss = thrown(() => chained.renderToString('c.html')) as TemplateDoesNotExist;
  t.same(miss.tried, [join(dir, 'c.html'), join(project.baseDir, 'other/c.html')], 'paths tried in every engine');
  t.equal(await chained.renderAsync('b.html'), 'OTHER B');
  t.equal(chained.fromString('<%= it.g %>'), '1');

  const notEngine = thrown(() => createTemplateEngine(project.settings({ TEMPLATES: [{ BACKEND: () => ({}) }] })));
  t.match((notEngine as Error).message, /did not return a template engine/);
});
