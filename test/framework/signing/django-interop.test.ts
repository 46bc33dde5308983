/**
 * Reinhardt's output must verify in Django: values signed here are handed to Debian's
 * python3-django (django.core.signing) in a child process, which unsigns and loads them.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import {
  dumps,
  getRandomSecretKey,
  signCookie,
  Signer,
  TimestampSigner,
  type HashAlgorithm,
} from '../../../framework/src/signing/index.js';

const PYTHON = '/usr/bin/python3';
const VERIFY = fileURLToPath(new URL('../../fixtures/signing/django-verify.py', import.meta.url));

type Case =
  | { kind: 'signer' | 'timestamp'; options: Record<string, string>; signed: string; maxAge?: number }
  | { kind: 'loads'; options: Record<string, string>; signed: string; maxAge?: number }
  | { kind: 'cookie'; name: string; salt: string; signed: string; maxAge?: number };
type Result = { ok: true; value: unknown } | { ok: false; error: string };

function djangoAvailable(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import django.core.signing'], { encoding: 'utf8' });
  return probe.status === 0;
}

function verifyInDjango(secretKey: string, cases: Case[]): Result[] {
  const run = spawnSync(PYTHON, [VERIFY], { input: JSON.stringify({ secretKey, cases }), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`django-verify.py failed (${run.status}):\n${run.stderr}`);
  const out = JSON.parse(run.stdout) as { django: string; results: Result[] };
  return out.results;
}

if (!djangoAvailable()) {
  t.fail('python3-django is not installed: run scripts/setup-system.sh');
} else {
  // A real generated key, so the characters Django's keys use (!@#$%^&*(-_=+)) are covered.
  const secretKey = getRandomSecretKey();
  const key = secretKey;
  const nested = {
    drink: 'café crème',
    unicode: 'naïve — Zürich ☕ 日本 😀',
    escapes: 'quote " backslash \\ newline \n tab \t del \u007f bell \u0007',
    numbers: [0, -7, 12, 3.5, 0.1 + 0.2, 1.25e-10, 0.00001, 123456789012],
    flags: { yes: true, no: false, none: null },
    nested: { emptyList: [], emptyObject: {}, deeper: [{ a: 1 }, { b: [2, 3] }] },
  };
  const longPayload = { menu: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `coffee ${i % 5}`, note: 'fresh' })) };

  const expected: unknown[] = [];
  const cases: Case[] = [];
  const add = (c: Case, value: unknown): void => {
    cases.push(c);
    expected.push(value);
  };

  const signerOptions: { salt?: string; sep?: string; algorithm?: HashAlgorithm }[] = [
    {},
    { salt: 'stores.favourite' },
    { sep: '/' },
    { algorithm: 'sha1' },
    { algorithm: 'sha512', salt: 'x', sep: '|' },
  ];
  for (const options of signerOptions) {
    for (const value of ['hello', '', 'value:with:colons', 'café ☕ 😀']) {
      add({ kind: 'signer', options, signed: new Signer({ key, ...options }).sign(value) }, value);
    }
    add({ kind: 'timestamp', options, signed: new TimestampSigner({ key, ...options }).sign('ann@example.com'), maxAge: 60 }, 'ann@example.com');
  }
  for (const salt of [undefined, 'coffeehouse.cart']) {
    const options: Record<string, string> = salt ? { salt } : {};
    for (const value of ['hello', nested, [1, 2.5, 'three', null, true]]) {
      add({ kind: 'loads', options, signed: dumps(value, { key, salt }), maxAge: 60 }, value);
    }
    const compressed = dumps(longPayload, { key, salt, compress: true });
    t.ok(compressed.startsWith('.'), 'the long payload is compressed');
    add({ kind: 'loads', options, signed: compressed }, longPayload);
    add({ kind: 'loads', options, signed: dumps(nested, { key, salt, compress: true }) }, nested);
  }
  for (const [name, value, salt] of [['favourite', 'latte', ''], ['favourite', 'latte', 'menu'], ['lang', 'café', ''], ['sessionid', 'a:b:c', '']] as const) {
    add({ kind: 'cookie', name, salt, signed: signCookie(name, value, { key, salt }), maxAge: 60 }, value);
  }

  // Cases Django must refuse, so a harness that accepts everything cannot pass.
  const refused: Case[] = [
    { kind: 'signer', options: { salt: 'other' }, signed: new Signer({ key, salt: 'one' }).sign('hello') },
    { kind: 'loads', options: {}, signed: dumps('hello', { key: 'not-the-key' }) },
    { kind: 'cookie', name: 'other', salt: '', signed: signCookie('favourite', 'latte', { key }) },
    { kind: 'timestamp', options: {}, signed: new TimestampSigner({ key, now: () => Date.now() - 120_000 }).sign('old'), maxAge: 60 },
  ];

  const results = verifyInDjango(secretKey, [...cases, ...refused]);

  t.test('Django verifies every value Reinhardt signed', async (t) => {
    cases.forEach((c, i) => {
      const r = results[i];
      const label = `${c.kind} ${JSON.stringify('options' in c ? c.options : { name: c.name, salt: c.salt })} ${c.signed.slice(0, 50)}`;
      if (!r?.ok) {
        t.fail(`${label}: ${r ? r.error : 'no result'}`);
        return;
      }
      t.same(r.value, expected[i], label);
    });
  });

  t.test('Django refuses what it should', async (t) => {
    const tail = results.slice(cases.length);
    t.match(tail[0], { ok: false, error: /^BadSignature: Signature ".*" does not match$/ }, 'wrong salt');
    t.match(tail[1], { ok: false, error: /^BadSignature/ }, 'wrong key');
    t.match(tail[2], { ok: false, error: /^BadSignature/ }, 'cookie signed for another name');
    t.match(tail[3], { ok: false, error: /^SignatureExpired: Signature age 1\d\d\.\d+ > 60 seconds$/ }, 'too old');
  });
}
