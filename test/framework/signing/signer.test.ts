/**
 * Behaviour beyond the Django vectors: key rotation, tampering, expiry, defaults from settings,
 * the separator rule, and the helpers other modules build on.
 */
import { inspect } from 'node:util';
import { deflateSync } from 'node:zlib';
import t, { type Test } from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import { activateSettings } from '../../../framework/src/conf/settings-registry.js';
import { BadSignature, ImproperlyConfigured, SignatureExpired } from '../../../framework/src/errors.js';
import { pythonFloatRepr, pythonJsonDumps, pythonStrRepr } from '../../../framework/src/signing/python-format.js';
import {
  b62Decode,
  b62Encode,
  constantTimeCompare,
  dumps,
  getRandomSecretKey,
  getRandomString,
  loads,
  SECRET_KEY_CHARS,
  signCookie,
  Signer,
  TimestampSigner,
  unsignCookie,
  type HashAlgorithm,
} from '../../../framework/src/signing/index.js';

const A = 'key-A-0123456789abcdefghijklmnopqrstuvwxyz-old';
const B = 'key-B-0123456789abcdefghijklmnopqrstuvwxyz-new';

/** Make these settings active for the rest of the test, then restore "no settings". */
function withSettings(t: Test, values: Record<string, unknown>): void {
  activateSettings(configureSettings(values));
  t.teardown(() => activateSettings(undefined));
}

/** The error fn throws; fails the test if it throws nothing. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

t.test('rotation: fallback keys verify, new values use the current key', async (t) => {
  const signedA = new Signer({ key: A }).sign('hello');
  const stampedA = new TimestampSigner({ key: A }).sign('hello');
  const dumpedA = dumps({ n: 1 }, { key: A, compress: true });
  const cookieA = signCookie('favourite', 'latte', { key: A });

  t.equal(new Signer({ key: B, fallbackKeys: [A] }).unsign(signedA), 'hello', 'Signer');
  t.equal(new TimestampSigner({ key: B, fallbackKeys: [A] }).unsign(stampedA, { maxAge: 60 }), 'hello', 'TimestampSigner');
  t.same(loads(dumpedA, { key: B, fallbackKeys: [A] }), { n: 1 }, 'loads');
  t.equal(unsignCookie('favourite', cookieA, { key: B, fallbackKeys: [A] }), 'latte', 'cookie');

  t.throws(() => new Signer({ key: B }).unsign(signedA), BadSignature, 'A dropped: Signer refuses');
  t.throws(() => new TimestampSigner({ key: B, fallbackKeys: [] }).unsign(stampedA), BadSignature);
  t.throws(() => loads(dumpedA, { key: B }), BadSignature, 'A dropped: loads refuses');
  t.throws(() => unsignCookie('favourite', cookieA, { key: B }), BadSignature, 'A dropped: cookie refused');

  const rotating = new Signer({ key: B, fallbackKeys: [A] });
  const resigned = rotating.sign(rotating.unsign(signedA));
  t.equal(resigned, new Signer({ key: B }).sign('hello'), 're-signing uses B');
  t.throws(() => new Signer({ key: A }).unsign(resigned), BadSignature, 'and A no longer verifies it');
  t.throws(() => new Signer({ key: B, fallbackKeys: [''] }).unsign(new Signer({ key: 'x' }).sign('v')), BadSignature,
    'an empty fallback key is ignored');
});

t.test('rotation through settings: SECRET_KEY and SECRET_KEY_FALLBACKS', async (t) => {
  const signedA = new Signer({ key: A }).sign('hello');
  const cookieA = signCookie('c', 'v', { key: A });
  const dumpedA = dumps('x', { key: A });
  withSettings(t, { SECRET_KEY: B, SECRET_KEY_FALLBACKS: [A] });
  t.equal(new Signer().unsign(signedA), 'hello');
  t.equal(unsignCookie('c', cookieA), 'v');
  t.equal(loads(dumpedA), 'x');
  t.equal(new Signer().sign('hello'), new Signer({ key: B }).sign('hello'), 'new values use SECRET_KEY');
  t.equal(signCookie('c', 'v', { now: () => 0 }), signCookie('c', 'v', { key: B, now: () => 0 }));
  t.throws(() => new Signer({ key: 'explicit' }).unsign(signedA), BadSignature,
    'an explicit key does not pick up the settings fallbacks');
  t.throws(() => new Signer({ fallbackKeys: [] }).unsign(signedA), BadSignature, 'fallbackKeys: [] overrides the setting');
  activateSettings(configureSettings({ SECRET_KEY: B }));
  t.throws(() => new Signer().unsign(signedA), BadSignature, 'A removed from SECRET_KEY_FALLBACKS');
});

t.test('an empty SECRET_KEY cannot sign', async (t) => {
  withSettings(t, {});
  t.throws(() => new Signer(), new ImproperlyConfigured('The SECRET_KEY setting must not be empty.'));
  t.throws(() => dumps('x'), ImproperlyConfigured);
  t.throws(() => new Signer({ key: '' }), ImproperlyConfigured, "'' means no key, as in Django");
  t.doesNotThrow(() => new Signer({ key: 'k' }).sign('x'), 'an explicit key needs no settings');
});

t.test('tampering is always BadSignature', async (t) => {
  const key = A;
  const signer = new Signer({ key });
  const stamper = new TimestampSigner({ key });
  const samples: [string, (s: string) => unknown][] = [
    [signer.sign('hello'), (s) => signer.unsign(s)],
    [stamper.sign('hello'), (s) => stamper.unsign(s, { maxAge: 60 })],
    [dumps({ a: 'café' }, { key }), (s) => loads(s, { key })],
    [dumps({ menu: 'coffee '.repeat(100) }, { key, compress: true }), (s) => loads(s, { key })],
    [signCookie('favourite', 'latte', { key }), (s) => unsignCookie('favourite', s, { key })],
  ];
  for (const [good, read] of samples) {
    t.doesNotThrow(() => read(good), `the untouched value reads: ${good.slice(0, 30)}`);
    const variants = new Set<string>(['', ':', '::', good.slice(0, -1), good.slice(0, 10), good + 'x', `${good}:`, good.replaceAll(':', '')]);
    for (let i = 0; i < good.length; i++) {
      const c = good[i] === 'A' ? 'B' : 'A';
      variants.add(good.slice(0, i) + c + good.slice(i + 1));
    }
    variants.add(good.replace(/^./, '.')); // claim compression on a plain payload
    variants.delete(good);
    let failures = 0;
    for (const bad of variants) {
      const error = thrown(() => read(bad));
      if (!(error instanceof BadSignature)) {
        failures++;
        t.fail(`${JSON.stringify(bad)} gave ${error === undefined ? 'no error' : String(error)}`);
      }
    }
    t.equal(failures, 0, `${variants.size} tampered forms of ${good.slice(0, 20)}... all BadSignature`);
  }
  t.throws(() => signer.unsign('no separator here'), new BadSignature('No ":" found in value'));
  t.throws(() => signer.unsign('hello:abc'), new BadSignature('Signature "abc" does not match'));
  t.throws(() => new Signer({ key, salt: 'one' }).unsign(new Signer({ key, salt: 'two' }).sign('x')), BadSignature, 'wrong salt');
  t.throws(() => loads(dumps('x', { key, salt: 'one' }), { key, salt: 'two' }), BadSignature, 'wrong salt for loads');
  t.throws(() => unsignCookie('favourite', signCookie('favourite', 'v', { key, salt: 'a' }), { key }), BadSignature, 'wrong cookie salt');
  t.throws(() => unsignCookie('other', signCookie('favourite', 'v', { key }), { key }), BadSignature, 'cookie of another name');
  t.throws(() => new Signer({ key, algorithm: 'sha1' }).unsign(signer.sign('x')), BadSignature, 'wrong algorithm');
  t.throws(() => new Signer({ key }).unsign(new TimestampSigner({ key }).sign('x')), BadSignature, 'TimestampSigner value in a Signer');
  t.throws(() => signer.unsign(undefined as unknown as string), BadSignature, 'not a string');

  // A key holder's malformed payloads: still BadSignature, so a broken cookie is never a 500.
  t.throws(() => loads(new TimestampSigner({ key, salt: 'django.core.signing' }).sign('bm90IGpzb24'), { key }), BadSignature, 'not JSON');
  t.throws(() => loads(new TimestampSigner({ key, salt: 'django.core.signing' }).sign('.bm90IHpsaWI'), { key }), BadSignature, 'not zlib');
  const sameSalt = { key, salt: 'django.core.signing.TimestampSigner' };
  for (const inner of ['x:!!', 'no-timestamp', 'x:']) {
    t.throws(() => new TimestampSigner(sameSalt).unsign(new Signer(sameSalt).sign(inner)),
      new BadSignature('The signed value has no valid timestamp'), `signed but no timestamp: ${inner}`);
  }
  const bomb = `.${deflateSync(Buffer.from('{"a":1}')).toString('base64url')}`;
  t.same(loads(new TimestampSigner({ key, salt: 'django.core.signing' }).sign(bomb), { key }), { a: 1 }, 'a signed compressed payload inflates');
});

t.test('max age', async (t) => {
  let clock = 1_700_000_000_000;
  const now = (): number => clock;
  const signer = new TimestampSigner({ key: A, now });
  const signed = signer.sign('hello');
  const token = dumps({ email: 'ann@example.com' }, { key: A, salt: 'newsletter', now });
  const cookie = signCookie('c', 'v', { key: A, now });
  clock += 30_000;
  t.equal(signer.unsign(signed, { maxAge: 30 }), 'hello', 'exactly max age is still valid (Django: age > max_age expires)');
  t.same(loads(token, { key: A, salt: 'newsletter', maxAge: 30, now }), { email: 'ann@example.com' });
  t.equal(unsignCookie('c', cookie, { key: A, maxAge: 30, now }), 'v');
  clock += 1_500;
  t.throws(() => signer.unsign(signed, { maxAge: 30 }), new SignatureExpired('Signature age 31.5 > 30 seconds'));
  t.throws(() => loads(token, { key: A, salt: 'newsletter', maxAge: 30, now }), SignatureExpired);
  t.throws(() => unsignCookie('c', cookie, { key: A, maxAge: 30, now }), SignatureExpired);
  t.ok(thrown(() => signer.unsign(signed, { maxAge: 1.5 })) instanceof BadSignature, 'SignatureExpired is a BadSignature');
  t.throws(() => signer.unsign(signed, { maxAge: 1.5 }), { message: 'Signature age 31.5 > 1.5 seconds' });
  t.equal(signer.unsign(signed), 'hello', 'no max age: any age');
  t.equal(signer.unsign(signed, { maxAge: Infinity }), 'hello');
  t.throws(() => signer.unsign(signed, { maxAge: NaN }), TypeError, 'NaN would let everything through');
  clock = 1_700_000_000_000 - 5_000;
  t.equal(signer.unsign(signed, { maxAge: 0 }), 'hello', 'a value from the future (clock skew) is not expired, as in Django');
});

t.test('separator, salt and algorithm rules', async (t) => {
  for (const sep of ['', 'a', 'Z', '0', '-', '_', '=', 'abc', '[', '^', '`', 'a\n', '\n']) {
    t.throws(() => new Signer({ key: A, sep }), ImproperlyConfigured, `sep ${JSON.stringify(sep)} refused`);
  }
  t.throws(() => new Signer({ key: A, sep: 'abc' }), {
    message: "Unsafe Signer separator: 'abc' (cannot be empty or consist of only A-z0-9-_=)",
  });
  for (const sep of [':', '/', '.', '|', '~~', 'a:b', ' ', '\n:']) {
    const s = new Signer({ key: A, sep });
    t.equal(s.unsign(s.sign('v')), 'v', `sep ${JSON.stringify(sep)} works`);
  }
  t.equal(new Signer({ key: A }).salt, 'django.core.signing.Signer');
  t.equal(new Signer({ key: A, salt: '' }).salt, 'django.core.signing.Signer', "'' means the default salt, as in Django");
  t.equal(new TimestampSigner({ key: A }).salt, 'django.core.signing.TimestampSigner');
  t.equal(new Signer({ key: A }).algorithm, 'sha256');
  t.throws(() => new Signer({ key: A, algorithm: 'rot13' as HashAlgorithm }), {
    message: /^'rot13' is not an algorithm accepted by the hashlib module\. Use one of: md5, sha1,/,
  });
  for (const algorithm of ['md5', 'sha224', 'sha384', 'sha3_256', 'sha3_512'] as const) {
    const s = new Signer({ key: A, algorithm });
    t.equal(s.unsign(s.sign('v')), 'v', algorithm);
  }
});

t.test('signObject and unsignObject', async (t) => {
  const signer = new Signer({ key: A, salt: 'obj' });
  const value = { a: [1, 'two', { three: null }], 'é': 'ü' };
  t.same(signer.unsignObject(signer.signObject(value)), value);
  t.same(signer.unsignObject(signer.signObject(value, { compress: true })), value);
  const custom = {
    dumps: (v: unknown) => Buffer.from(String(v), 'utf8'),
    loads: (d: Buffer) => d.toString('utf8').toUpperCase(),
  };
  t.equal(signer.unsignObject(signer.signObject('custom', { serializer: custom }), { serializer: custom }), 'CUSTOM');
  const stamper = new TimestampSigner({ key: A, now: () => 0 });
  const old = stamper.signObject([1]);
  t.throws(() => new TimestampSigner({ key: A }).unsignObject(old, { maxAge: 10 }), SignatureExpired);
  t.same(new TimestampSigner({ key: A }).unsignObject(old), [1]);
  t.throws(() => dumps(NaN, { key: A }), TypeError);
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  t.throws(() => dumps(cycle, { key: A }), TypeError);
  t.throws(() => dumps(undefined, { key: A }), TypeError);
  t.throws(() => dumps(10n, { key: A }), TypeError);
});

t.test('Python-compatible JSON and number formats', async (t) => {
  t.equal(pythonJsonDumps({ a: 'é', b: '😀', c: '\u007f\u0001\n"\\/', d: [1, 2.5, null, true] }),
    '{"a":"\\u00e9","b":"\\ud83d\\ude00","c":"\\u007f\\u0001\\n\\"\\\\/","d":[1,2.5,null,true]}');
  t.equal(pythonJsonDumps({ 'clé': 1 }), '{"cl\\u00e9":1}', 'keys are escaped too');
  t.equal(pythonJsonDumps({ d: new Date(0), u: undefined, f: () => 1 }), '{"d":"1970-01-01T00:00:00.000Z"}', 'toJSON, dropped members');
  t.equal(pythonJsonDumps([undefined, () => 1]), '[null,null]');
  t.equal(pythonJsonDumps('\ud800'), '"\\ud800"', 'a lone surrogate, as Python writes it');
  const floats: [number, string][] = [
    [0.1, '0.1'], [3.5, '3.5'], [100.75, '100.75'], [2, '2.0'], [1e16, '1e+16'], [1e15, '1000000000000000.0'],
    [0.0001, '0.0001'], [0.00001, '1e-05'], [1.25e-10, '1.25e-10'], [-1.5e300, '-1.5e+300'], [0, '0.0'],
    [-0, '-0.0'], [0.30000000000000004, '0.30000000000000004'], [123456789.125, '123456789.125'],
  ];
  for (const [x, repr] of floats) t.equal(pythonFloatRepr(x), repr, `repr(${repr})`);
  t.equal(pythonJsonDumps([1e16, -0, 1e21, 0.5]), '[10000000000000000,0,1000000000000000000000,0.5]', 'whole numbers as ints');
  t.equal(pythonStrRepr("it's"), '"it\'s"');
  t.equal(pythonStrRepr('a\nb'), "'a\\nb'");
});

t.test('helpers', async (t) => {
  for (const n of [0, 1, 61, 62, 1_700_000_000, -5, Number.MAX_SAFE_INTEGER]) t.equal(b62Decode(b62Encode(n)), n);
  t.equal(b62Encode(1_700_000_000), '1r31eq');
  t.equal(b62Decode('!'), undefined);
  t.equal(b62Decode(''), undefined);
  t.equal(b62Decode('-'), undefined);
  t.equal(b62Decode('zzzzzzzzzzzzzzzz'), undefined, 'too large to be exact');
  t.throws(() => b62Encode(1.5), RangeError);

  t.ok(constantTimeCompare('abc', 'abc'));
  t.notOk(constantTimeCompare('abc', 'abd'));
  t.notOk(constantTimeCompare('abc', 'abcd'));
  t.notOk(constantTimeCompare('', 'a'));
  t.ok(constantTimeCompare('', ''));

  const key = getRandomSecretKey();
  t.equal(key.length, 50);
  t.ok([...key].every((c) => SECRET_KEY_CHARS.includes(c)), 'only Django secret key characters');
  t.not(getRandomSecretKey(), key, 'two keys differ');
  t.match(getRandomString(32), /^[A-Za-z0-9]{32}$/);
  t.equal(getRandomString(0), '');
  t.throws(() => getRandomString(-1), RangeError);
  t.throws(() => getRandomString(3, ''), RangeError);

  const signer = new Signer({ key: 'super-secret-value', fallbackKeys: ['older-secret-value'] });
  const shown = inspect(signer, { showHidden: true, depth: 5 });
  t.notMatch(shown, /super-secret-value|older-secret-value/, 'inspect never shows the keys');
  t.notMatch(JSON.stringify(signer), /secret-value/, 'nor does JSON');
});
