import t from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { checkRegistry } from '../../../framework/src/checks/index.js';
import { sendsErrorMailToAdmins } from '../../../framework/src/checks/reinhardt-checks.js';
import { checkCrossOriginOpenerPolicy, isStrongSecretKey } from '../../../framework/src/checks/security.js';
import { FRESH_PROJECT, PRODUCTION } from './fixtures/settings.js';

async function idsFor(settings: LoadedSettings, deploy = true): Promise<string[]> {
  const run = await checkRegistry.run({ settings, baseDir: '/tmp', includeDeploymentChecks: deploy });
  return run.messages.map((m) => m.id ?? '?').sort();
}

function prod(overrides: Record<string, unknown>): LoadedSettings {
  return configureSettings({ ...PRODUCTION, ...overrides });
}

t.test('a hardened production site passes every deployment check', async (t) => {
  t.same(await idsFor(configureSettings(PRODUCTION)), []);
});

t.test('a fresh project fails the ones Django fails, plus Reinhardt’s', async (t) => {
  t.same(await idsFor(configureSettings(FRESH_PROJECT)), [
    'reinhardt.W002',
    'reinhardt.W003',
    'security.W004',
    'security.W008',
    'security.W009',
    'security.W012',
    'security.W016',
    'security.W018',
    'security.W020',
  ]);
  t.same(await idsFor(configureSettings(FRESH_PROJECT), false), [], 'none of them run without --deploy');
});

t.test('security middleware and headers', async (t) => {
  t.same(await idsFor(prod({ MIDDLEWARE: ['sessions', 'csrf', 'x-frame-options'], SECURE_HSTS_SECONDS: 0, SECURE_SSL_REDIRECT: false })), [
    'security.W001',
  ], "without 'security', its settings are not checked one by one");
  t.same(await idsFor(prod({ MIDDLEWARE: ['security', 'sessions', 'csrf'] })), ['security.W002']);
  t.same(await idsFor(prod({ X_FRAME_OPTIONS: 'SAMEORIGIN' })), ['security.W019']);
  t.same(await idsFor(prod({ MIDDLEWARE: ['security', 'sessions', 'csrf'], X_FRAME_OPTIONS: 'SAMEORIGIN' })), ['security.W002']);
  t.same(await idsFor(prod({ SECURE_HSTS_SECONDS: 0 })), ['security.W004']);
  t.same(await idsFor(prod({ SECURE_HSTS_INCLUDE_SUBDOMAINS: false })), ['security.W005']);
  t.same(await idsFor(prod({ SECURE_HSTS_PRELOAD: false })), ['security.W021']);
  t.same(await idsFor(prod({ SECURE_CONTENT_TYPE_NOSNIFF: false })), ['security.W006']);
  t.same(await idsFor(prod({ SECURE_SSL_REDIRECT: false })), ['security.W008']);
  t.same(await idsFor(prod({ SECURE_REFERRER_POLICY: null })), ['security.W022']);
  t.same(await idsFor(prod({ SECURE_REFERRER_POLICY: 'same-origin, strict-origin-when-cross-origin' })), []);
  t.same(await idsFor(prod({ SECURE_REFERRER_POLICY: ['no-referrer', 'origin'] })), []);
  t.same(await idsFor(prod({ SECURE_REFERRER_POLICY: 'same-origin, bogus' })), ['security.E023']);
  t.same(await idsFor(prod({ SECURE_REFERRER_POLICY: ['bogus'] })), ['security.E023']);

  const run = await checkRegistry.run({ settings: prod({ SECURE_REFERRER_POLICY: 'nope' }), baseDir: '/', includeDeploymentChecks: true });
  t.equal(
    run.messages[0]?.hint,
    'Valid values are: no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url.',
  );

  // The settings validator already refuses a bad COOP, so the check is reached only by settings built another way.
  const badCoop = { ...configureSettings(PRODUCTION), SECURE_CROSS_ORIGIN_OPENER_POLICY: 'bogus' } as LoadedSettings;
  t.same(checkCrossOriginOpenerPolicy({ settings: badCoop, baseDir: '/', apps: null }).map((m) => m.id), ['security.E024']);
  t.same(await idsFor(prod({ SECURE_CROSS_ORIGIN_OPENER_POLICY: null })), []);
});

t.test('SECRET_KEY and SECRET_KEY_FALLBACKS', async (t) => {
  t.same(await idsFor(prod({ SECRET_KEY: 'short' })), ['security.W009']);
  t.same(await idsFor(prod({ SECRET_KEY: 'ab'.repeat(40) })), ['security.W009'], 'fewer than 5 unique characters');
  t.same(await idsFor(prod({ SECRET_KEY: `reinhardt-insecure-${PRODUCTION.SECRET_KEY}` })), ['security.W009'], 'startproject prefix');
  t.ok(isStrongSecretKey('abcde'.repeat(10)), 'exactly 50 characters and 5 unique is enough');
  t.notOk(isStrongSecretKey('abcd'.repeat(13)));
  t.notOk(isStrongSecretKey('😀😁😂🤣😃'.repeat(9)), 'characters are counted as code points (45 here)');

  const run = await checkRegistry.run({
    settings: prod({ SECRET_KEY_FALLBACKS: [PRODUCTION.SECRET_KEY.split('').reverse().join(''), 'old-weak-key'] }),
    baseDir: '/',
    includeDeploymentChecks: true,
  });
  t.same(run.messages.map((m) => m.id), ['security.W025']);
  t.match(run.messages[0]?.msg, /^Your SECRET_KEY_FALLBACKS\[1\] has less than 50 characters/);
  t.match(run.messages[0]?.msg, /'reinhardt-insecure-'/);
});

t.test('DEBUG and ALLOWED_HOSTS', async (t) => {
  t.same(await idsFor(prod({ DEBUG: true })), ['security.W018']);
  t.same(await idsFor(prod({ ALLOWED_HOSTS: [] })), ['security.W020']);
});

t.test('session and CSRF cookies', async (t) => {
  t.same(await idsFor(prod({ SESSION_COOKIE_SECURE: false })), ['security.W012'], 'app and middleware: the combined warning');
  t.same(await idsFor(prod({ SESSION_COOKIE_SECURE: false, INSTALLED_APPS: ['reinhardt.contrib.staticfiles'] })), ['security.W011']);
  t.same(await idsFor(prod({ SESSION_COOKIE_SECURE: false, MIDDLEWARE: ['security', 'csrf', 'x-frame-options'] })), ['security.W010']);
  t.same(
    await idsFor(prod({ SESSION_COOKIE_SECURE: false, INSTALLED_APPS: [], MIDDLEWARE: ['security', 'csrf', 'x-frame-options'], STATIC_ROOT: null })),
    [],
    'no sessions at all: nothing to say',
  );
  t.same(await idsFor(prod({ SESSION_COOKIE_HTTPONLY: false })), ['security.W015']);
  t.same(await idsFor(prod({ SESSION_COOKIE_HTTPONLY: false, INSTALLED_APPS: ['reinhardt.contrib.staticfiles'] })), ['security.W014']);
  t.same(await idsFor(prod({ SESSION_COOKIE_HTTPONLY: false, MIDDLEWARE: ['security', 'csrf', 'x-frame-options'] })), ['security.W013']);
  t.same(await idsFor(prod({ MIDDLEWARE: ['security', 'sessions', 'x-frame-options'], CSRF_COOKIE_SECURE: false })), ['security.W003']);
  t.same(await idsFor(prod({ CSRF_COOKIE_SECURE: false })), ['security.W016']);
  t.same(await idsFor(prod({ CSRF_COOKIE_SECURE: false, CSRF_USE_SESSIONS: true })), [], 'the token lives in the session cookie');
});

t.test('reinhardt.W001: error mail with no ADMINS', async (t) => {
  t.same(await idsFor(prod({ ADMINS: [] })), ['reinhardt.W001']);
  t.same(await idsFor(prod({ ADMINS: [], DEBUG: true })), ['security.W018'], 'DEBUG true sends no error mail');
  t.same(
    await idsFor(prod({ ADMINS: [], LOGGING: { loggers: { reinhardt: { handlers: ['console'] } } } })),
    [],
    "LOGGING that takes mail_admins off the 'reinhardt' logger",
  );
  t.same(
    await idsFor(prod({ ADMINS: [], LOGGING: { handlers: { mail_admins: { class: 'null' } } } })),
    [],
    'LOGGING that turns the mail_admins handler into a null handler',
  );
  t.ok(
    sendsErrorMailToAdmins({
      handlers: { alerts: { class: 'mail-admins' } },
      loggers: { reinhardt: { handlers: ['console'] } },
      root: { handlers: ['alerts'] },
    }),
    'a mail-admins handler on the root logger counts',
  );
  t.notOk(sendsErrorMailToAdmins({}, {}), 'no mail handler anywhere');
});

t.test('reinhardt.W002: a backend that delivers nothing', async (t) => {
  for (const backend of ['console', 'locmem', 'dummy']) {
    t.same(await idsFor(prod({ EMAIL_BACKEND: backend })), ['reinhardt.W002'], backend);
  }
  t.same(await idsFor(prod({ EMAIL_BACKEND: 'filebased', EMAIL_FILE_PATH: '/tmp/mail' })), ['reinhardt.W002'], 'filebased');
  const run = await checkRegistry.run({ settings: prod({ EMAIL_BACKEND: 'console' }), baseDir: '/', includeDeploymentChecks: true });
  t.match(run.messages[0]?.msg, /^EMAIL_BACKEND is 'console' in deployment/);
  t.same(await idsFor(prod({ EMAIL_BACKEND: class CustomBackend {} })), [], 'an imported backend is trusted');
});

t.test('reinhardt.W003: staticfiles without STATIC_ROOT', async (t) => {
  t.same(await idsFor(prod({ STATIC_ROOT: null })), ['reinhardt.W003']);
  t.same(await idsFor(prod({ STATIC_ROOT: null, INSTALLED_APPS: ['reinhardt.contrib.sessions'] })), []);
});

t.test('tags select checks', async (t) => {
  t.same(checkRegistry.tagsAvailable(true), ['mail', 'security', 'staticfiles']);
  const run = await checkRegistry.run({ settings: configureSettings(FRESH_PROJECT), baseDir: '/', includeDeploymentChecks: true, tags: ['mail'] });
  t.same(run.messages.map((m) => m.id), ['reinhardt.W002']);
});
