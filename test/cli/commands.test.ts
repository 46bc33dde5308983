/**
 * The command line through real processes: manage.ts (manage.py) and npx reinhardt (django-admin).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { cleanEnv, manage, reinhardt, SITE, tempDir } from '../helpers.js';

t.test('help, --help, --version and unknown commands', async (t) => {
  const help = await manage(['help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /Type 'manage\.ts help <subcommand>' for help on a specific subcommand\./);
  for (const name of ['check', 'collectstatic', 'diffsettings', 'findstatic', 'generatesecretkey', 'runserver', 'sendtestemail', 'startapp', 'startproject']) {
    t.match(help.stdout, new RegExp(`^    ${name}$`, 'm'), `help lists ${name}`);
  }

  const rs = await manage(['runserver', '--help']);
  t.equal(rs.code, 0);
  t.match(rs.stdout, /^usage: manage\.ts runserver /);
  for (const opt of ['--noreload', '--insecure', '--nostatic', '--settings SETTINGS', '--verbosity', '--traceback', '--no-color', 'addrport']) {
    t.match(rs.stdout, opt, `runserver --help mentions ${opt}`);
  }
  t.equal((await manage(['help', 'diffsettings'])).stdout, (await manage(['diffsettings', '--help'])).stdout, 'help X equals X --help');

  const unknown = await manage(['runserverr']);
  t.equal(unknown.code, 1);
  t.equal(unknown.stderr, "Unknown command: 'runserverr'. Did you mean 'runserver'? Type 'manage.ts help' for usage.\n");
  t.equal(unknown.stdout, '');

  const version = await reinhardt(['--version']);
  const pkg = JSON.parse(readFileSync(join(SITE, '..', 'framework', 'package.json'), 'utf8')) as { version: string };
  t.equal(version.stdout.trim(), pkg.version);

  const badOption = await manage(['diffsettings', '--bogus']);
  t.equal(badOption.code, 2);
  t.match(badOption.stderr, /usage: manage\.ts diffsettings.*\nmanage\.ts diffsettings: error: Unknown option '--bogus'/s);
});

t.test('settings errors: named, clear, and without a stack trace unless --traceback', async (t) => {
  const dir = tempDir(t);
  const none = await reinhardt(['check'], { cwd: dir });
  t.equal(none.code, 1);
  t.match(none.stderr, /REINHARDT_SETTINGS_MODULE/);
  t.match(none.stderr, /--settings/);
  t.notMatch(none.stderr, /\n\s+at /, 'no stack trace');

  const missing = await reinhardt(['check', '--settings', 'nowhere.settings'], { cwd: dir });
  t.equal(missing.code, 1);
  t.match(missing.stderr, /Settings module 'nowhere\.settings' could not be found\. Tried, relative to .*:\n  nowhere\/settings\.ts\n  nowhere\/settings\.js/);

  mkdirSync(join(dir, 'site'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(dir, 'site', 'bad.ts'),
    `export default { DEBUG: 'false', ALLOWED_HOSTS: '.coffeehouse.com', STATIC_ROOT: 'static', debug: true, SECRET_KEY: 'x' };\n`,
  );
  const bad = await reinhardt(['diffsettings', '--settings', 'site.bad'], { cwd: dir });
  t.equal(bad.code, 1);
  t.match(bad.stderr, /4 invalid settings in .*site\/bad\.ts:/);
  t.match(bad.stderr, /DEBUG: expected a boolean \(true or false\), found the string 'false'.*getBoolean/);
  t.match(bad.stderr, /ALLOWED_HOSTS: expected a list of strings, found the string '\.coffeehouse\.com'\. Did you mean \['\.coffeehouse\.com'\]\?/);
  t.match(bad.stderr, /STATIC_ROOT: expected an absolute path, found the relative path 'static'/);
  t.match(bad.stderr, /debug: setting names must be UPPER_CASE; 'debug' would be ignored\. Did you mean 'DEBUG'\?/);
  t.notMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  const traced = await reinhardt(['diffsettings', '--settings', 'site.bad', '--traceback'], { cwd: dir });
  t.match(traced.stderr, /\n\s+at /, '--traceback shows the stack');

  writeFileSync(join(dir, 'site', 'throws.ts'), `throw new Error('database password file missing');\nexport default {};\n`);
  const throws = await reinhardt(['check', '--settings', 'site.throws'], { cwd: dir });
  t.equal(throws.code, 1);
  t.match(throws.stderr, /Settings module 'site\.throws' \(.*site\/throws\.ts\) raised an error while it was imported: Error: database password file missing/);
});

t.test('runserver refuses what Django refuses', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'site'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'site', 'prod.ts'), `export default { DEBUG: false, SECRET_KEY: 'k'.repeat(50) };\n`);
  const refused = await reinhardt(['runserver', '--settings', 'site.prod', '--noreload'], { cwd: dir });
  t.equal(refused.code, 1);
  t.equal(refused.stderr, 'CommandError: You must set settings.ALLOWED_HOSTS if DEBUG is False.\n');
  t.notMatch(refused.stdout, /Starting development server/, 'no server started');

  const badAddr = await manage(['runserver', 'localhost:port', '--noreload']);
  t.equal(badAddr.code, 1);
  t.equal(badAddr.stderr, 'CommandError: "localhost:port" is not a valid port number or address:port pair.\n');
  const badV6 = await manage(['runserver', '[::zz]:8000', '--noreload']);
  t.equal(badV6.stderr, 'CommandError: "localhost:port" is not a valid port number or address:port pair.\n'.replace('localhost:port', '[::zz]:8000'));
});

t.test('diffsettings: production from a sample INI file, secrets masked', async (t) => {
  const env = cleanEnv({ COFFEEHOUSE_CONFIG: join(SITE, 'coffeehouse', 'production.cfg.example') });
  const hash = await manage(['diffsettings', '--settings', 'coffeehouse.settings.production'], { env });
  t.equal(hash.code, 0, hash.stderr);
  t.match(hash.stdout, /^DEBUG = false$/m);
  t.match(hash.stdout, /^SECRET_KEY = '\*{20}'$/m);
  t.notMatch(hash.stdout, /ea\)cjy@v9/, 'the key from the INI file never prints');
  t.match(hash.stdout, /^ALLOWED_HOSTS = \[ '\.coffeehouse\.com' \]$/m);
  t.match(hash.stdout, /^EMAIL_HOST_PASSWORD = '\*{20}'$/m);
  t.match(hash.stdout, /^COFFEEHOUSE_OPENING_HOURS = .*  ###$/m, 'custom settings are marked ###');
  t.notMatch(hash.stdout, /^APPEND_SLASH/m, 'defaults are left out');

  const all = await manage(['diffsettings', '--settings', 'coffeehouse.settings.production', '--all'], { env });
  t.match(all.stdout, /^### APPEND_SLASH = true$/m);

  const unified = await manage(['diffsettings', '--settings', 'coffeehouse.settings.production', '--output', 'unified'], { env });
  t.match(unified.stdout, /^\+ ADMINS = /m);
  t.match(unified.stdout, /^- STATICFILES_STORAGE = 'plain'\n\+ STATICFILES_STORAGE = 'manifest'$/m);

  const vsDev = await manage(['diffsettings', '--settings', 'coffeehouse.settings.production', '--default', 'coffeehouse.settings.development'], { env });
  t.match(vsDev.stdout, /^DEBUG = false$/m);
  t.notMatch(vsDev.stdout, /^ROOT_URLCONF/m, 'settings shared with the other module are left out');
});

t.test('the environment is picked by host name (Option 1), and apps bring their own commands', async (t) => {
  const testing = await manage(['diffsettings'], { env: cleanEnv({ REINHARDT_HOSTNAME: 'test-web-2' }) });
  t.equal(testing.code, 0, testing.stderr);
  t.match(testing.stdout, /^EMAIL_BACKEND = 'locmem'$/m, 'test* hosts get the testing settings');
  const dev = await manage(['diffsettings'], { env: cleanEnv({ REINHARDT_HOSTNAME: 'laptop' }) });
  t.match(dev.stdout, /^DEBUG = true$/m, 'other hosts get the development settings');
  const live = await manage(['diffsettings'], {
    env: cleanEnv({ REINHARDT_HOSTNAME: 'live-web-1', COFFEEHOUSE_CONFIG: join(SITE, 'coffeehouse', 'production.cfg.example') }),
  });
  t.match(live.stdout, /^DEBUG = false$/m, 'live* hosts get production, read from the INI file');
  const noConfig = await manage(['diffsettings'], { env: cleanEnv({ REINHARDT_HOSTNAME: 'live-web-1', COFFEEHOUSE_CONFIG: join(SITE, 'nope.cfg') }) });
  t.equal(noConfig.code, 1);
  t.match(noConfig.stderr, /nope\.cfg/, 'a missing INI file is named');

  const help = await manage(['help']);
  t.match(help.stdout, /\[stores\]\n    liststores/, 'help lists app commands under their app');
  const list = await manage(['liststores', '--city', 'los angeles']);
  t.equal(list.code, 0, list.stderr);
  t.equal(list.stdout, '3\tHarbor\tLos Angeles\n');
  const none = await manage(['liststores', '--city', 'Paris']);
  t.equal(none.code, 1);
  t.equal(none.stderr, "CommandError: No stores in 'Paris'.\n");
});

t.test('generatesecretkey, startapp', async (t) => {
  const key = await reinhardt(['generatesecretkey']);
  t.equal(key.code, 0);
  t.match(key.stdout, /^[a-z0-9!@#$%^&*(\-_=+)]{50}\n$/);
  t.not((await reinhardt(['generatesecretkey'])).stdout, key.stdout);

  const dir = tempDir(t);
  const app = await reinhardt(['startapp', 'orders'], { cwd: dir });
  t.equal(app.code, 0, app.stderr);
  for (const f of ['urls.ts', 'views.ts', 'templates/orders/index.html', 'static/orders/.keep', 'commands/.keep']) {
    t.ok(existsSync(join(dir, 'orders', f)), `startapp wrote ${f}`);
  }
  const again = await reinhardt(['startapp', 'orders'], { cwd: dir });
  t.equal(again.code, 1);
  t.match(again.stderr, /CommandError: '.*orders' already exists/);
  const badName = await reinhardt(['startapp', 'my-app'], { cwd: dir });
  t.equal(badName.stderr, "CommandError: 'my-app' is not a valid app name. Please make sure the name is a valid identifier.\n");
});
