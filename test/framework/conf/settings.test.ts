/**
 * Settings: validation (all problems at once, lower-case names, relative paths, custom names),
 * configureSettings (frozen result, the module's own objects untouched, settingsInfo), loading a
 * module by dotted name from real .ts/.js files in a temp folder, projectPaths and
 * hostEnvironment.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';
import { ImproperlyConfigured, SettingsValidationError } from '../../../framework/src/errors.js';
import { currentHostname, hostEnvironment, HOSTNAME_ENV_VAR } from '../../../framework/src/conf/host-environment.js';
import {
  configureSettings,
  loadSettings,
  requireSecretKey,
  SETTINGS_ENV_VAR,
  settingsModuleName,
} from '../../../framework/src/conf/load-settings.js';
import { projectPaths } from '../../../framework/src/conf/project-paths.js';
import { activateSettings, getSettings, settingsConfigured, settingsInfo } from '../../../framework/src/conf/settings-registry.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { DEFAULT_SETTINGS } from '../../../framework/src/conf/global-settings.js';

const FRAMEWORK_CONF = join(dirname(fileURLToPath(import.meta.url)), '../../../framework/src/conf');

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
  throw new Error('expected an error, nothing was thrown');
}

async function rejected(promise: Promise<unknown>): Promise<ImproperlyConfigured> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ImproperlyConfigured) return err;
    throw err;
  }
  throw new Error('expected an ImproperlyConfigured, nothing was thrown');
}

function invalid(user: Record<string, unknown>, file?: string): SettingsValidationError {
  const err = thrown(() => configureSettings(user, { file: file ?? null }));
  if (!(err instanceof SettingsValidationError)) throw err;
  return err;
}

t.test('validation reports every problem of a module in one error', async (t) => {
  const err = invalid({ DEBUG: 'false', ALLOWED_HOSTS: '.coffeehouse.com', EMAIL_PORT: 0, SECRET_KEY: 'fine' }, '/srv/site/coffeehouse/settings.ts');
  t.equal(err.code, 'RH_ERR_SETTINGS_INVALID');
  t.equal(err.file, '/srv/site/coffeehouse/settings.ts');
  t.same(err.problems.map((p) => p.setting), ['DEBUG', 'ALLOWED_HOSTS', 'EMAIL_PORT']);
  const lines = err.message.split('\n');
  t.equal(lines[0], '3 invalid settings in /srv/site/coffeehouse/settings.ts:');
  t.match(lines[1], /^ {2}- DEBUG: expected a boolean \(true or false\), found the string 'false'\. .*getBoolean/);
  t.equal(
    lines[2],
    "  - ALLOWED_HOSTS: expected a list of strings, found the string '.coffeehouse.com'. Did you mean ['.coffeehouse.com']? " +
      'Values read from INI files and environment variables are strings: use the typed getters (config.getBoolean/getInt/getFloat/getList, env.bool/int/list).',
  );
  t.equal(lines[3], '  - EMAIL_PORT: expected an integer of at least 1, found the number 0');
  t.equal(lines.length, 4);

  const one = invalid({ EMAIL_USE_TLS: true, EMAIL_USE_SSL: true });
  t.equal(one.message, '1 invalid setting:\n  - EMAIL_USE_TLS: EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive, so set only one of them to true.');

  const fromIni = invalid({ EMAIL_PORT: '587' });
  t.match(fromIni.message, /found the string '587'\. Values read from INI files and environment variables are strings: use the typed getters/, 'strings from INI/env get the typed-getter hint');
});

t.test('setting names: lower case rejected with a hint, custom UPPER_CASE allowed', async (t) => {
  const err = invalid({ debug: true, my_feature: 1, Static_Url: '/s/' });
  t.same(err.problems, [
    { setting: 'debug', message: "setting names must be UPPER_CASE; 'debug' would be ignored. Did you mean 'DEBUG'?" },
    { setting: 'my_feature', message: "setting names must be UPPER_CASE; 'my_feature' would be ignored. Write it as 'MY_FEATURE' if it is a custom setting." },
    { setting: 'Static_Url', message: "setting names must be UPPER_CASE; 'Static_Url' would be ignored. Did you mean 'STATIC_URL'?" },
  ]);
  const settings = configureSettings({ COFFEEHOUSE_MENU: ['latte', 'mocha'], FEATURE_2024: { on: true } });
  t.same((settings as unknown as Record<string, unknown>).COFFEEHOUSE_MENU, ['latte', 'mocha'], 'custom settings are kept');
});

t.test('path settings must be absolute, and the message names the setting', async (t) => {
  const err = invalid({
    STATIC_ROOT: 'staticfiles',
    TEMPLATES: [{ BACKEND: 'eta', DIRS: ['/abs/templates', 'templates'] }],
    STATICFILES_DIRS: ['/abs/static', ['vendor', 'node_modules/vendor']],
    EMAIL_FILE_PATH: 'mail',
  });
  t.same(err.problems, [
    { setting: 'STATIC_ROOT', message: "expected an absolute path, found the relative path 'staticfiles'; build it from projectPaths(import.meta.url), e.g. join(BASE_DIR, 'staticfiles')" },
    { setting: 'TEMPLATES', message: "item 0, DIRS: item 1: expected an absolute path, found the relative path 'templates'; build it from projectPaths(import.meta.url), e.g. join(BASE_DIR, 'templates')" },
    { setting: 'STATICFILES_DIRS', message: "item 1: expected an absolute path, found the relative path 'node_modules/vendor'; build it from projectPaths(import.meta.url), e.g. join(BASE_DIR, 'node_modules/vendor')" },
    { setting: 'EMAIL_FILE_PATH', message: "expected an absolute path, found the relative path 'mail'; build it from projectPaths(import.meta.url), e.g. join(BASE_DIR, 'mail')" },
  ]);
  t.equal(invalid({ STATIC_ROOT: 3 }).problems[0]?.message, 'expected an absolute path (a string), found the number 3');
  t.equal(invalid({ STATIC_URL: 'static' }).problems[0]?.message, "must end with a slash (found 'static'); use 'static/'", 'right type, wrong content: no typed-getter hint');
  t.equal(invalid({ EMAIL_TIMEOUT: 'soon' }).problems[0]?.message, "expected a number, or null, found the string 'soon'. Values read from INI files and environment variables are strings: use the typed getters (config.getBoolean/getInt/getFloat/getList, env.bool/int/list).");
  const ok = configureSettings({ STATIC_ROOT: '/srv/static', STATICFILES_DIRS: ['/srv/assets', ['vendor', '/srv/vendor']], TEMPLATES: [{ BACKEND: 'eta', DIRS: ['/srv/templates'] }] });
  t.equal(ok.STATIC_ROOT, '/srv/static');
});

t.test('configured settings: defaults overlaid, deeply frozen, the module objects untouched', async (t) => {
  const dirs = ['/srv/templates'];
  const user = {
    DEBUG: true,
    ALLOWED_HOSTS: ['localhost'],
    TEMPLATES: [{ BACKEND: 'eta', DIRS: dirs, OPTIONS: { context_processors: ['debug'] } }],
    STATICFILES_DIRS: dirs,
  };
  const settings = configureSettings(user, { module: 'mysite.settings', file: '/srv/mysite/settings.ts', baseDir: '/srv' });
  t.equal(settings.DEBUG, true);
  t.equal(settings.EMAIL_SUBJECT_PREFIX, '[Reinhardt] ', 'defaults fill the rest');
  t.equal(settings.SECRET_KEY, DEFAULT_SETTINGS.SECRET_KEY);
  t.ok(Object.isFrozen(settings));
  t.ok(Object.isFrozen(settings.ALLOWED_HOSTS));
  t.ok(Object.isFrozen(settings.TEMPLATES[0]));
  t.ok(Object.isFrozen(settings.TEMPLATES[0]?.DIRS));
  t.ok(Object.isFrozen(settings.TEMPLATES[0]?.OPTIONS?.context_processors));
  t.ok(Object.isFrozen(settings.CACHES.default), 'defaults are frozen too');
  t.throws(() => {
    (settings as { DEBUG: boolean }).DEBUG = false;
  }, TypeError);
  t.throws(() => {
    (settings.ALLOWED_HOSTS as string[]).push('evil.example.com');
  }, TypeError);

  t.notOk(Object.isFrozen(user), "the module's object stays its own");
  t.notOk(Object.isFrozen(user.ALLOWED_HOSTS));
  t.notOk(Object.isFrozen(dirs));
  t.notOk(Object.isFrozen(user.TEMPLATES[0]?.OPTIONS));
  user.ALLOWED_HOSTS.push('later.example.com');
  dirs.push('/srv/more');
  t.same(settings.ALLOWED_HOSTS, ['localhost'], 'later changes to the module objects do not reach the settings');
  t.same(settings.STATICFILES_DIRS, ['/srv/templates']);

  const info = settingsInfo(settings);
  t.equal(info.module, 'mysite.settings');
  t.equal(info.file, '/srv/mysite/settings.ts');
  t.equal(info.baseDir, '/srv');
  t.same([...info.explicit], ['DEBUG', 'ALLOWED_HOSTS', 'TEMPLATES', 'STATICFILES_DIRS'], 'the names the module set, in its order');

  const bare = settingsInfo(configureSettings({}));
  t.equal(bare.module, null);
  t.equal(bare.file, null);
  t.equal(bare.baseDir, process.cwd());
  t.same([...bare.explicit], []);
  const notMade = thrown(() => settingsInfo({ ...settings }));
  t.equal(notMade.message, 'These settings were not made by loadSettings() or configureSettings().');

  const hostile = JSON.parse('{"__proto__": {"DEBUG": true}, "SECRET_KEY": "k"}') as Record<string, unknown>;
  const err = invalid(hostile);
  t.same(err.problems.map((p) => p.setting), ['__proto__'], "a '__proto__' key is a bad name, not a prototype");
  t.equal(({} as Record<string, unknown>).DEBUG, undefined);
});

t.test('requireSecretKey and the settings accessor', async (t) => {
  const empty = configureSettings({});
  t.equal(thrown(() => requireSecretKey(empty, '/srv/mysite/settings.ts')).message, 'The SECRET_KEY setting must not be empty (/srv/mysite/settings.ts).');
  t.equal(thrown(() => requireSecretKey(empty)).message, 'The SECRET_KEY setting must not be empty.');
  t.equal(requireSecretKey(configureSettings({ SECRET_KEY: 'k' })), 'k');

  t.teardown(() => activateSettings(undefined));
  activateSettings(undefined);
  t.notOk(settingsConfigured());
  const before = thrown(() => getSettings()) as ImproperlyConfigured;
  t.equal(before.code, 'RH_ERR_SETTINGS_NOT_CONFIGURED');
  t.match(before.message, /REINHARDT_SETTINGS_MODULE.*--settings/);
  const settings: LoadedSettings = configureSettings({ DEBUG: true });
  activateSettings(settings);
  t.ok(settingsConfigured());
  t.equal(getSettings(), settings);
});

t.test('loadSettings: dotted names resolved against a real base folder', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'reinhardt-settings-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(base, rel)), { recursive: true });
    writeFileSync(join(base, rel), text);
  };
  // The temp project is an ES module package, like a project made by startproject.
  write('package.json', '{ "type": "module" }\n');
  const projectPathsUrl = pathToFileURL(join(FRAMEWORK_CONF, 'project-paths.js')).href;
  write(
    'mysite/settings.ts',
    [
      "import { join } from 'node:path';",
      `import { projectPaths } from '${projectPathsUrl}';`,
      'const { BASE_DIR, PROJECT_DIR } = projectPaths(import.meta.url);',
      "const hosts: string[] = ['mysite.example'];",
      "export default { DEBUG: false, SECRET_KEY: 'from-ts', ALLOWED_HOSTS: hosts, STATIC_ROOT: join(BASE_DIR, 'staticfiles'), MYSITE_DIR: PROJECT_DIR };",
    ].join('\n'),
  );
  write('plain/conf.js', "export default { DEBUG: true, SECRET_KEY: 'from-js' };\n");
  write('pkg/settings/index.ts', "export default { SECRET_KEY: 'from-index' };\n");
  write('pkg/settings/base.ts', "export default { SECRET_KEY: 'base', ALLOWED_HOSTS: ['base.example'], TEMPLATES: [{ BACKEND: 'eta', DIRS: [] as string[] }] };\n");
  write('pkg/settings/load_testing.ts', "import base from './base.js';\nexport default { ...base, DEBUG: false, ALLOWED_HOSTS: ['load.example'] };\n");
  write('broken/settings.ts', "const port = Number('x');\nif (Number.isNaN(port)) throw new Error('EMAIL_PORT is not a number');\nexport default {};\n");
  write('nodefault/settings.ts', 'export const DEBUG = true;\n');
  write('bad/settings.ts', "export default { DEBUG: 'false', STATIC_ROOT: 'static' };\n");

  const ts = await loadSettings({ module: 'mysite.settings', baseDir: base, env: {} });
  t.equal(ts.SECRET_KEY, 'from-ts');
  t.equal(ts.STATIC_ROOT, join(base, 'staticfiles'), 'projectPaths gives absolute paths from the module itself');
  t.equal((ts as unknown as Record<string, unknown>).MYSITE_DIR, join(base, 'mysite'));
  t.ok(Object.isFrozen(ts.ALLOWED_HOSTS));
  const info = settingsInfo(ts);
  t.equal(info.module, 'mysite.settings');
  t.equal(info.file, join(base, 'mysite/settings.ts'));
  t.equal(info.baseDir, base);
  t.same([...info.explicit], ['DEBUG', 'SECRET_KEY', 'ALLOWED_HOSTS', 'STATIC_ROOT', 'MYSITE_DIR']);
  const own = (await import(pathToFileURL(join(base, 'mysite/settings.ts')).href)) as { default: { ALLOWED_HOSTS: string[] } };
  t.notOk(Object.isFrozen(own.default), "the module's default export is not frozen");
  t.notOk(Object.isFrozen(own.default.ALLOWED_HOSTS));

  t.equal((await loadSettings({ module: 'plain.conf', baseDir: base, env: {} })).SECRET_KEY, 'from-js', '.js files too');
  t.equal((await loadSettings({ module: 'pkg.settings', baseDir: base, env: {} })).SECRET_KEY, 'from-index', 'a package is its index.ts');
  const load = await loadSettings({ baseDir: base, env: { [SETTINGS_ENV_VAR]: 'pkg.settings.load_testing' } });
  t.same(load.ALLOWED_HOSTS, ['load.example'], 'REINHARDT_SETTINGS_MODULE names the module; environments inherit by spreading');
  t.equal(load.SECRET_KEY, 'base');
  const baseMod = (await import(pathToFileURL(join(base, 'pkg/settings/base.ts')).href)) as { default: { TEMPLATES: object[] } };
  t.notOk(Object.isFrozen(baseMod.default.TEMPLATES[0]), 'a shared base stays mutable for the modules that spread it');
  t.equal(
    (await loadSettings({ module: 'plain.conf', baseDir: base, env: { [SETTINGS_ENV_VAR]: 'pkg.settings' } })).SECRET_KEY,
    'from-js',
    '--settings (the module option) wins over the variable',
  );

  const notNamed = await rejected(loadSettings({ baseDir: base, env: {} }));
  t.equal(notNamed.code, 'RH_ERR_SETTINGS_NOT_NAMED');
  t.equal(
    notNamed.message,
    'No settings module named. Either set the environment variable REINHARDT_SETTINGS_MODULE (for example: export REINHARDT_SETTINGS_MODULE=mysite.settings) or pass --settings mysite.settings.',
  );
  t.equal(settingsModuleName({ module: 'a.b' }), 'a.b');
  t.equal(settingsModuleName({ env: { [SETTINGS_ENV_VAR]: 'c.d' } }), 'c.d');

  const missing = await rejected(loadSettings({ module: 'mysite.missing', baseDir: base, env: {} }));
  t.equal(missing.code, 'RH_ERR_SETTINGS_NOT_FOUND');
  t.equal(
    missing.message,
    [
      `Settings module 'mysite.missing' could not be found. Tried, relative to ${base}:`,
      '  mysite/missing.ts',
      '  mysite/missing.js',
      '  mysite/missing.mts',
      '  mysite/missing.mjs',
      '  mysite/missing/index.ts',
      '  mysite/missing/index.js',
      '  mysite/missing/index.mts',
      '  mysite/missing/index.mjs',
    ].join('\n'),
  );

  const broken = await rejected(loadSettings({ module: 'broken.settings', baseDir: base, env: {} }));
  t.equal(broken.code, 'RH_ERR_SETTINGS_IMPORT');
  t.equal(
    broken.message,
    `Settings module 'broken.settings' (${join(base, 'broken/settings.ts')}) raised an error while it was imported: Error: EMAIL_PORT is not a number`,
  );
  t.type(broken.cause, Error);

  const noDefault = await rejected(loadSettings({ module: 'nodefault.settings', baseDir: base, env: {} }));
  t.equal(noDefault.code, 'RH_ERR_SETTINGS_INVALID');
  t.match(noDefault.message, /must default-export its settings: export default defineSettings\(\{ \.\.\. \}\)\./);

  const bad = await rejected(loadSettings({ module: 'bad.settings', baseDir: base, env: {} }));
  t.ok(bad instanceof SettingsValidationError);
  t.match(bad.message, new RegExp(`^2 invalid settings in ${join(base, 'bad/settings.ts').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:`), 'validation names the module file');

  for (const name of ['../etc/passwd', 'mysite/settings', 'mysite..settings', '/etc/passwd', '.hidden', 'mysite.', 'my site', 'mysite\\settings']) {
    const err = await rejected(loadSettings({ module: name, baseDir: base, env: {} }));
    t.equal(err.code, 'RH_ERR_SETTINGS_NOT_FOUND', name);
    t.equal(
      err.message,
      `Settings module '${name}' is not a dotted module name like 'mysite.settings' (letters, digits, '_' and '-' separated by dots; no slashes, no file extension).`,
    );
  }
  const viaEnv = await rejected(loadSettings({ baseDir: base, env: { [SETTINGS_ENV_VAR]: '../../outside' } }));
  t.equal(viaEnv.code, 'RH_ERR_SETTINGS_NOT_FOUND', 'the variable is checked as strictly as the option');
});

t.test('projectPaths: settings.ts and settings/production.ts name the same project', async (t) => {
  const single = projectPaths(pathToFileURL('/srv/site/coffeehouse/settings.ts').href);
  t.same(single, { PROJECT_DIR: '/srv/site/coffeehouse', BASE_DIR: '/srv/site' });
  const pkg = projectPaths(pathToFileURL('/srv/site/coffeehouse/settings/production.ts'));
  t.same(pkg, { PROJECT_DIR: '/srv/site/coffeehouse', BASE_DIR: '/srv/site' }, 'a settings package is looked through (URL objects too)');
  t.same(projectPaths(pathToFileURL('/srv/site/coffeehouse/config.ts').href), { PROJECT_DIR: '/srv/site/coffeehouse', BASE_DIR: '/srv/site' });
  t.same(projectPaths(pathToFileURL('/srv/my site/coffee house/settings/index.ts').href), { PROJECT_DIR: '/srv/my site/coffee house', BASE_DIR: '/srv/my site' }, 'spaces survive the URL');
});

t.test('hostEnvironment: Listing 5-6, by host name prefix', async (t) => {
  const saved = process.env[HOSTNAME_ENV_VAR];
  t.teardown(() => {
    if (saved === undefined) delete process.env[HOSTNAME_ENV_VAR];
    else process.env[HOSTNAME_ENV_VAR] = saved;
  });
  const prefixes = { live: 'production', test: 'testing' } as const;

  delete process.env[HOSTNAME_ENV_VAR];
  t.equal(currentHostname(), hostname(), 'without the variable, the real host name');
  process.env[HOSTNAME_ENV_VAR] = 'live-web-3';
  t.equal(currentHostname(), 'live-web-3');
  t.equal(hostEnvironment(prefixes, 'development'), 'production', 'REINHARDT_HOSTNAME stands in for os.hostname()');
  process.env[HOSTNAME_ENV_VAR] = 'TEST-ci-7';
  t.equal(hostEnvironment(prefixes, 'development'), 'testing', 'case-insensitive, read at each call');
  process.env[HOSTNAME_ENV_VAR] = 'laptop';
  t.equal(hostEnvironment(prefixes, 'development'), 'development', 'the fallback');
  process.env[HOSTNAME_ENV_VAR] = '';
  t.equal(currentHostname(), hostname(), 'an empty variable is ignored');

  t.equal(hostEnvironment(prefixes, 'development', 'live-db-1'), 'production', 'an explicit host wins over the variable');
  t.equal(hostEnvironment(prefixes, 'development', 'staging-live'), 'development', 'a prefix, not a substring');
  t.equal(hostEnvironment({ test: 'testing', 'test-eu': 'eu-testing' }, 'dev', 'test-eu-2'), 'eu-testing', 'the longest prefix wins');
  t.equal(currentHostname({ [HOSTNAME_ENV_VAR]: 'given' }), 'given');
});
