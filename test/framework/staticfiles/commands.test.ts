/**
 * The collectstatic, findstatic and nginxconfig commands: instantiated and called like the runner
 * does (setIO with captured streams, handle(args, options, ctx)), and once through the real
 * command-line runner to check the option names and exit codes.
 */
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CommandError, ImproperlyConfigured, SystemCheckError } from '../../../framework/src/errors.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { executeFromCommandLine } from '../../../framework/src/management/cli.js';
import CollectStatic from '../../../framework/src/management/commands/collectstatic.js';
import FindStatic from '../../../framework/src/management/commands/findstatic.js';
import NginxConfig from '../../../framework/src/management/commands/nginxconfig.js';
import { Capture, commandContext, makeProject } from './fixtures/project.js';

const TREE = {
  'static/css/site.css': 'body {}',
  'static/js/app.js': 'app',
  'static/.secret': 'dot',
  'stores/static/css/site.css': 'shadowed',
  'stores/static/stores/s.css': '.s {}',
};

const COLLECT_DEFAULTS = {
  noinput: true,
  'no-input': false,
  'no-post-process': false,
  ignore: [] as string[],
  'dry-run': false,
  clear: false,
  link: false,
  'no-default-ignore': false,
};

function setup<C extends CollectStatic | FindStatic | NginxConfig>(command: C) {
  const stdout = new Capture();
  const stderr = new Capture();
  command.setIO({ stdout, stderr, color: false });
  return { command, stdout, stderr };
}

function project(t: Parameters<typeof makeProject>[0], extra: Record<string, unknown> = {}) {
  const p = makeProject(t, TREE);
  const settings = p.settings({
    INSTALLED_APPS: ['reinhardt.contrib.staticfiles', 'stores'],
    STATICFILES_DIRS: [join(p.base, 'static')],
    ...extra,
  });
  return { p, settings };
}

async function collect(settings: LoadedSettings, base: string, options: Partial<typeof COLLECT_DEFAULTS> = {}, verbosity = 1, stdin?: string) {
  const { command, stdout, stderr } = setup(new CollectStatic());
  const output = await command.handle({}, { ...COLLECT_DEFAULTS, ...options }, commandContext(settings, base, verbosity, stdin));
  return { output, stdout: stdout.text, stderr: stderr.text };
}

t.test('collectstatic: summary, re-run, dry run, link, ignore', async (t) => {
  const { p, settings } = project(t);
  const first = await collect(settings, p.base);
  t.equal(first.output, `\n3 static files copied to '${p.root}'.`);
  t.match(first.stderr, "Found another file with the destination path 'css/site.css'.");
  t.equal((await collect(settings, p.base)).output, `\n0 static files copied to '${p.root}', 3 unmodified.`);
  t.equal((await collect(settings, p.base, {}, 0)).output, undefined, 'verbosity 0 prints no summary');

  const dry = await collect(settings, p.base, { clear: true, 'dry-run': true });
  t.match(dry.stdout, "Pretending to delete 'css/site.css'");
  t.match(dry.stdout, `Pretending to copy '${join(p.base, 'static/js/app.js')}'`);

  const ignored = await collect(settings, p.base, { clear: true, ignore: ['*.js'], 'no-default-ignore': true });
  t.equal(ignored.output, `\n3 static files copied to '${p.root}'.`, '.secret in, app.js out');
  t.ok(existsSync(join(p.root, '.secret')));
  t.notOk(existsSync(join(p.root, 'js/app.js')));

  const linked = await collect(settings, p.base, { clear: true, link: true });
  t.equal(linked.output, `\n3 static files symlinked to '${p.root}'.`);
  t.ok(lstatSync(join(p.root, 'js/app.js')).isSymbolicLink());
});

t.test('collectstatic: the question on stdin, Django style', async (t) => {
  const { p, settings } = project(t);
  await collect(settings, p.base);
  const yes = await collect(settings, p.base, { noinput: false }, 1, 'yes\n');
  t.match(yes.stdout, "This will overwrite existing files!\nAre you sure you want to do this?\n\nType 'yes' to continue, or 'no' to cancel: ");
  t.equal(yes.output, `\n0 static files copied to '${p.root}', 3 unmodified.`);
  for (const answer of ['no\n', 'YES\n', 'y\n', '']) {
    await t.rejects(collect(settings, p.base, { noinput: false }, 1, answer), { constructor: CommandError, message: 'Collecting static files cancelled.', returncode: 1 }, JSON.stringify(answer));
  }
  t.equal((await collect(settings, p.base, { noinput: false, 'no-input': true })).output, `\n0 static files copied to '${p.root}', 3 unmodified.`, '--no-input');
});

t.test('collectstatic: configuration problems', async (t) => {
  const { p } = project(t);
  await t.rejects(collect(p.settings({ STATIC_ROOT: null }), p.base), {
    constructor: ImproperlyConfigured,
    message: /^You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path\./,
  });
  await t.rejects(collect(p.settings({ STATICFILES_DIRS: [p.root] }), p.base), {
    constructor: SystemCheckError,
    message: /staticfiles\.E002\) The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting\./,
  });
  const missing = await collect(p.settings({ STATICFILES_DIRS: [join(p.base, 'static'), join(p.base, 'nowhere')] }), p.base);
  t.match(missing.stderr, `(staticfiles.W004) The directory '${join(p.base, 'nowhere')}' in the STATICFILES_DIRS setting does not exist.`);
  t.match(missing.output, 'static files copied', 'a warning does not stop it');

  const broken = makeProject(t, { 'static/a.css': 'a { background: url(missing.png); }' });
  await t.rejects(collect(broken.settings({ STATICFILES_DIRS: [join(broken.base, 'static')], STATICFILES_STORAGE: 'manifest' }), broken.base), {
    constructor: CommandError,
    message: /The CSS file 'a\.css' references a file which could not be found: 'missing\.png'/,
  });
  await t.rejects(collect(p.settings({ STATICFILES_FINDERS: ['filesystem', 'apps'] }), p.base), {
    code: 'RH_ERR_UNKNOWN_COMPONENT',
    message: "STATICFILES_FINDERS[1]: 'apps' is not a known name. Known names: 'filesystem', 'app-directories'; or pass an imported implementation instead of a string.",
  });
});

t.test('findstatic: Django\'s output at each verbosity', async (t) => {
  const { p, settings } = project(t);
  const staticDir = join(p.base, 'static');
  const appDir = join(p.base, 'stores/static');
  const run = (labels: string[], first = false, verbosity = 1) => {
    const { command, stdout, stderr } = setup(new FindStatic());
    const output = command.handle({ staticfile: labels }, { first }, commandContext(settings, p.base, verbosity));
    return { output, stderr: stderr.text, stdout: stdout.text };
  };
  t.equal(run(['css/site.css']).output, `Found 'css/site.css' here:\n  ${join(staticDir, 'css/site.css')}\n  ${join(appDir, 'css/site.css')}`);
  t.equal(run(['css/site.css'], true).output, `Found 'css/site.css' here:\n  ${join(staticDir, 'css/site.css')}`);
  t.equal(run(['css/site.css', 'stores/s.css'], true, 0).output, `${join(staticDir, 'css/site.css')}\n${join(appDir, 'stores/s.css')}`);
  t.equal(
    run(['stores/s.css'], false, 2).output,
    `Found 'stores/s.css' here:\n  ${join(appDir, 'stores/s.css')}\nLooking in the following locations:\n  ${staticDir}\n  ${appDir}`,
  );
  const missing = run(['nope.css']);
  t.equal(missing.output, '');
  t.equal(missing.stderr, "No matching file found for 'nope.css'.\n");
  t.equal(run(['nope.css'], false, 2).stderr, `No matching file found for 'nope.css'.\n\nLooking in the following locations:\n  ${staticDir}\n  ${appDir}\n`);
  t.equal(run(['nope.css'], false, 0).stderr, '');
  for (const unsafe of ['../secret.txt', 'css/../../secret.txt', join(staticDir, 'css/site.css'), 'css\\site.css', 'css/site.css\0']) {
    t.equal(run([unsafe]).output, '', `${JSON.stringify(unsafe)} is not found`);
  }
});

t.test('nginxconfig', async (t) => {
  const { p, settings } = project(t, { ALLOWED_HOSTS: ['.coffeehouse.com', 'localhost'] });
  const run = (opts: { upstream: string; listen: string; 'server-name'?: string | undefined }) => {
    const { command } = setup(new NginxConfig());
    return command.handle({}, { 'server-name': undefined, ...opts }, commandContext(settings, p.base));
  };
  const text = run({ upstream: '127.0.0.1:8000', listen: '80' });
  t.match(text, 'server_name .coffeehouse.com localhost;');
  t.match(text, `alias "${p.root}/";`);
  t.match(text, 'proxy_pass http://127.0.0.1:8000;');
  t.match(run({ upstream: 'unix:/run/app.sock', listen: '80', 'server-name': 'example.com www.example.com' }), 'server_name example.com www.example.com;');
  t.throws(() => run({ upstream: '127.0.0.1:8000; evil', listen: '80' }), { constructor: CommandError, message: /is not HOST:PORT/ });
  t.throws(() => run({ upstream: '127.0.0.1:8000', listen: '80', 'server-name': 'a;b' }), { constructor: CommandError, message: /The server name 'a;b'/ });
});

t.test('through the command-line runner: option names and exit codes', async (t) => {
  const p = makeProject(t, {
    ...TREE,
    // .mjs: the temporary project has no package.json saying its .ts files are ES modules.
    'mysite/settings.mjs': `export default {
      SECRET_KEY: 'a-long-enough-secret-key-for-this-command-line-test-0123456789',
      INSTALLED_APPS: ['reinhardt.contrib.staticfiles', 'stores'],
      STATIC_URL: '/static/',
      STATIC_ROOT: ${JSON.stringify(join('__BASE__', 'collected'))}.replace('__BASE__', import.meta.dirname + '/..'),
      STATICFILES_DIRS: [import.meta.dirname + '/../static'],
    };\n`,
  });
  const cli = async (argv: string[], stdin?: string) => {
    const stdout = new Capture();
    const stderr = new Capture();
    const ctx = commandContext({} as LoadedSettings, p.base, 1, stdin);
    const code = await executeFromCommandLine({ argv: [...argv, '--settings', 'mysite.settings'], baseDir: p.base, progName: 'manage.ts', stdout, stderr, stdin: ctx.stdin, env: {} });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  const first = await cli(['collectstatic', '--noinput', '-i', '*.js', '--ignore', 'stores']);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /\n1 static file copied to '.*collected'\.\n$/, 'js/app.js and the stores/ folder ignored');
  const cancelled = await cli(['collectstatic', '-c'], 'no\n');
  t.equal(cancelled.code, 1);
  t.match(cancelled.stdout, 'This will DELETE ALL FILES in this location!');
  t.match(cancelled.stderr, 'CommandError: Collecting static files cancelled.');
  const dry = await cli(['collectstatic', '--no-input', '-n', '-c', '-l', '--no-default-ignore', '--no-post-process']);
  t.equal(dry.code, 0, dry.stderr);
  t.match(dry.stdout, /4 static files symlinked to/);
  const find = await cli(['findstatic', 'css/site.css', '--first', '-v', '2']);
  t.equal(find.code, 0, find.stderr);
  t.match(find.stdout, /^Found 'css\/site\.css' here:\n {2}.*static\/css\/site\.css\nLooking in the following locations:\n/);
  const nginx = await cli(['nginxconfig', '--upstream', '127.0.0.1:9000', '--server-name', 'example.com']);
  t.equal(nginx.code, 0, nginx.stderr);
  t.match(nginx.stdout, 'proxy_pass http://127.0.0.1:9000;');
});
