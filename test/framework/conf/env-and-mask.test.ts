/**
 * Typed environment variables (createEnv / env) and the two secret nets of mask.ts: masking by
 * name (cleanse) and by value (registerSecretValue / redactSecrets). They are tested together
 * because `secret: true` is the bridge between them.
 */
import t from 'tap';
import { EnvError } from '../../../framework/src/errors.js';
import { createEnv, env } from '../../../framework/src/conf/env.js';
import {
  cleanse,
  cleanseSettings,
  MASK,
  redactSecrets,
  registerSecretValue,
  registerSettingsSecrets,
  SENSITIVE_NAME,
} from '../../../framework/src/conf/mask.js';

function envError(fn: () => unknown): EnvError {
  try {
    fn();
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error('expected an EnvError, nothing was thrown');
}

const BOOL_HELP = 'use 1, yes, true or on for true and 0, no, false or off for false';

t.test('str: set, unset, default, empty', async (t) => {
  const e = createEnv({ EMAIL_HOST: 'smtp.example.com', BLANK: '', SPACED: '  pass word  ' });
  t.equal(e.str('EMAIL_HOST'), 'smtp.example.com');
  t.equal(e.str('SPACED'), '  pass word  ', 'strings are not trimmed');
  t.equal(e.str('BLANK'), '', 'the empty string is a value');
  t.equal(e.str('BLANK', { default: 'x' }), '', 'so the default is not used');
  t.equal(e.str('UNSET', { default: 'fallback' }), 'fallback');
  t.equal(e.str('UNSET', { default: null }), null);
  t.equal(e.str('UNSET', { default: undefined }), undefined, 'an explicit undefined default counts');
  const missing = envError(() => e.str('EMAIL_HOST_PASSWORD'));
  t.equal(missing.code, 'RH_ERR_ENV_MISSING');
  t.equal(missing.message, "Environment variable 'EMAIL_HOST_PASSWORD' is not set and has no default.");
  t.equal(envError(() => e.str('UNSET', {})).code, 'RH_ERR_ENV_MISSING', 'options without a default key have no default');
  t.equal(envError(() => e.str('toString')).code, 'RH_ERR_ENV_MISSING', 'inherited names are not variables');
  t.equal(envError(() => e.str('__proto__')).code, 'RH_ERR_ENV_MISSING');
  t.throws(() => e.str(''), TypeError);
});

t.test('bool: the INI words, case-insensitive; empty is an error', async (t) => {
  const vars: Record<string, string> = { A: '1', B: 'YES', C: 'True', D: ' on ', E: '0', F: 'no', G: 'FALSE', H: 'Off', BAD: 'maybe', EMPTY: '' };
  const e = createEnv(vars);
  for (const k of ['A', 'B', 'C', 'D']) t.equal(e.bool(k), true, `${k}=${vars[k]}`);
  for (const k of ['E', 'F', 'G', 'H']) t.equal(e.bool(k), false, `${k}=${vars[k]}`);
  t.equal(e.bool('UNSET', { default: false }), false);
  const bad = envError(() => e.bool('BAD'));
  t.equal(bad.code, 'RH_ERR_ENV_VALUE');
  t.equal(bad.message, `Environment variable 'BAD' is 'maybe', which is not a boolean (${BOOL_HELP}).`);
  t.equal(envError(() => e.bool('EMPTY', { default: true })).message, `Environment variable 'EMPTY' is an empty string, which is not a boolean (${BOOL_HELP}).`, 'set but empty is not unset');
  t.equal(envError(() => e.bool('UNSET')).message, "Environment variable 'UNSET' is not set and has no default.");
});

t.test('int and float: strict', async (t) => {
  const e = createEnv({ PORT: '587', NEG: '-2', SPACED: ' 25 ', UNDER: '1_000', BAD: '12abc', EMPTY: '', HUGE: '1e400', RATIO: '0.75', EXP: '2e3', HEX: '0x1f' });
  t.equal(e.int('PORT'), 587);
  t.equal(e.int('NEG'), -2);
  t.equal(e.int('SPACED'), 25, 'surrounding spaces are forgiven');
  t.equal(e.int('UNDER'), 1000);
  t.equal(e.int('UNSET', { default: 8000 }), 8000);
  const intMsg = (name: string, shown: string) => `Environment variable '${name}' is ${shown}, which is not an integer (whole decimal digits like 587).`;
  t.equal(envError(() => e.int('BAD')).message, intMsg('BAD', "'12abc'"));
  t.equal(envError(() => e.int('EMPTY')).message, intMsg('EMPTY', 'an empty string'));
  t.equal(envError(() => e.int('RATIO')).message, intMsg('RATIO', "'0.75'"));
  t.equal(envError(() => e.int('HEX')).message, intMsg('HEX', "'0x1f'"));
  t.equal(e.float('RATIO'), 0.75);
  t.equal(e.float('EXP'), 2000);
  t.equal(e.float('PORT'), 587);
  t.equal(e.float('UNSET', { default: 1.5 }), 1.5);
  const floatMsg = (name: string, shown: string) => `Environment variable '${name}' is ${shown}, which is not a number (a finite decimal like 2.5).`;
  t.equal(envError(() => e.float('HUGE')).message, floatMsg('HUGE', "'1e400'"), 'infinity is not a number here');
  t.equal(envError(() => e.float('EMPTY')).message, floatMsg('EMPTY', 'an empty string'));
  t.equal(envError(() => e.float('BAD')).code, 'RH_ERR_ENV_VALUE');
});

t.test('list', async (t) => {
  const e = createEnv({ HOSTS: ' a.example.com, .b.example.com ,, ', EMPTY: '', PIPES: 'x|y| z' });
  t.same(e.list('HOSTS'), ['a.example.com', '.b.example.com']);
  t.same(e.list('EMPTY'), [], 'set but empty is the empty list');
  t.same(e.list('PIPES', { separator: '|' }), ['x', 'y', 'z']);
  t.same(e.list('UNSET', { default: ['localhost'] }), ['localhost']);
  t.equal(envError(() => e.list('UNSET')).code, 'RH_ERR_ENV_MISSING');
});

t.test('secret: masked in messages, registered for redaction', async (t) => {
  const password = 'hunter2-but-longer';
  const e = createEnv({ EMAIL_HOST_PASSWORD: password, SECRET_PORT: 'port-not-a-number', SHORT: 'abc' });
  t.equal(e.str('EMAIL_HOST_PASSWORD', { secret: true }), password, 'the value itself is returned');
  t.equal(redactSecrets(`login failed for ${password} at smtp`), `login failed for ${MASK} at smtp`);

  const bad = envError(() => e.int('SECRET_PORT', { secret: true }));
  t.equal(bad.message, `Environment variable 'SECRET_PORT' is ${MASK}, which is not an integer (whole decimal digits like 587).`);
  t.notMatch(bad.message, /port-not-a-number/);
  t.equal(redactSecrets('port-not-a-number'), MASK, 'a malformed secret is still registered');

  t.equal(e.str('UNSET_KEY', { secret: true, default: 'dev-only-secret-default' }), 'dev-only-secret-default');
  t.equal(redactSecrets('dev-only-secret-default'), MASK, 'a secret default is registered too');
  e.list('UNSET_LIST', { secret: true, default: ['list-secret-one', 'list-secret-two'] });
  t.equal(redactSecrets('list-secret-one list-secret-two'), `${MASK} ${MASK}`);

  t.equal(e.str('SHORT', { secret: true }), 'abc');
  t.equal(redactSecrets('abc abcdef'), 'abc abcdef', 'values under 8 characters would mask ordinary words');
});

t.test('env reads process.env at call time', async (t) => {
  const name = 'REINHARDT_TEST_ENV_LIVE';
  t.teardown(() => {
    delete process.env[name];
  });
  t.equal(envError(() => env.str(name)).code, 'RH_ERR_ENV_MISSING');
  process.env[name] = 'yes';
  t.equal(env.bool(name), true, 'a variable set after import is seen');
  process.env[name] = '42';
  t.equal(env.int(name), 42);

  const original = process.env;
  try {
    process.env = { [name]: 'replaced' };
    t.equal(env.str(name), 'replaced', 'even a replaced process.env object');
    t.equal(createEnv().str(name), 'replaced');
  } finally {
    process.env = original;
  }
});

t.test('cleanse: by name, recursively, without changing the input', async (t) => {
  const shared = ['/srv/templates'];
  const pattern = /^\/admin/;
  const when = new Date(0);
  const input = {
    SECRET_KEY: 'abc',
    SECRET_KEY_FALLBACKS: ['old-1', 'old-2'],
    EMPTY_PASSWORD: '',
    NULL_TOKEN: null,
    DEBUG: true,
    DATABASES: { default: { NAME: 'coffee', PASSWORD: 'secretpass', OPTIONS: { api_key: 'k', timeout: 3 } } },
    LOGGING: { handlers: [{ class: 'mail', auth: { pass: 'p' }, signature: 's' }] },
    SESSION_COOKIE_NAME: 'sessionid',
    TEMPLATES: [{ DIRS: shared }],
    STATICFILES_DIRS: shared,
    IGNORABLE: [pattern],
    WHEN: when,
  };
  const before = JSON.stringify(input);
  const out = cleanseSettings(input);
  t.same(out, {
    SECRET_KEY: MASK,
    SECRET_KEY_FALLBACKS: MASK,
    EMPTY_PASSWORD: '',
    NULL_TOKEN: null,
    DEBUG: true,
    DATABASES: { default: { NAME: 'coffee', PASSWORD: MASK, OPTIONS: { api_key: MASK, timeout: 3 } } },
    LOGGING: { handlers: [{ class: 'mail', auth: { pass: MASK }, signature: MASK }] },
    SESSION_COOKIE_NAME: MASK,
    TEMPLATES: [{ DIRS: ['/srv/templates'] }],
    STATICFILES_DIRS: ['/srv/templates'],
    IGNORABLE: [pattern],
    WHEN: when,
  });
  t.equal((out.IGNORABLE as unknown[])[0], pattern, 'RegExps are kept');
  t.equal(JSON.stringify(input), before, 'the input is not changed');
  t.not(out.DATABASES, input.DATABASES, 'a copy');

  const loop: Record<string, unknown> = { name: 'loop', items: [] };
  loop.self = loop;
  (loop.items as unknown[]).push(loop);
  t.same(cleanse('', loop), { name: 'loop', items: ['<circular>'], self: '<circular>' });

  const hostile = JSON.parse('{"__proto__": {"polluted": true}, "api_token": "t"}') as Record<string, unknown>;
  const cleaned = cleanse('', hostile) as Record<string, unknown>;
  t.ok(Object.hasOwn(cleaned, '__proto__'), "'__proto__' stays a key");
  t.equal(Object.getPrototypeOf(cleaned), Object.prototype);
  t.equal(cleaned.api_token, MASK);
  t.equal(({} as Record<string, unknown>).polluted, undefined);

  for (const name of ['API_URL', 'GITHUB_TOKEN', 'SECRET_KEY', 'db_secret', 'EMAIL_HOST_PASSWORD', 'SIGNATURE', 'CSRF_COOKIE_NAME']) t.ok(SENSITIVE_NAME.test(name), name);
  for (const name of ['DEBUG', 'ALLOWED_HOSTS', 'STATIC_URL']) t.notOk(SENSITIVE_NAME.test(name), name);
});

t.test('redactSecrets: every registered value and its encodings', async (t) => {
  const key = 'reinhardt-<k&y>"quoted"/x y';
  registerSettingsSecrets({ SECRET_KEY: key, SECRET_KEY_FALLBACKS: ['old-key-rotated', 42] });
  t.equal(redactSecrets(`raw ${key} end`), `raw ${MASK} end`);
  t.equal(redactSecrets(`url ?k=${encodeURIComponent(key)}`), `url ?k=${MASK}`);
  t.equal(redactSecrets('html reinhardt-&lt;k&amp;y&gt;&quot;quoted&quot;/x y'), `html ${MASK}`);
  t.equal(redactSecrets(`json ${JSON.stringify(key)}`), `json "${MASK}"`);
  t.equal(redactSecrets('old-key-rotated twice old-key-rotated'), `${MASK} twice ${MASK}`);

  registerSecretValue('prefix12');
  registerSecretValue('prefix12-and-more-secret');
  t.equal(redactSecrets('value prefix12-and-more-secret'), `value ${MASK}`, 'the longer secret is masked whole, no tail left');
  registerSecretValue(undefined);
  registerSecretValue(null);
  registerSecretValue('');
  t.equal(redactSecrets('nothing here'), 'nothing here');
});
