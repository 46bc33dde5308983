/**
 * Sessions: the Session API and its JSON-only values, the signed-cookies engine (tampering,
 * expiry, custom lifetimes), key rotation with SECRET_KEY_FALLBACKS, and the 'sessions'
 * middleware through a real listening server (when the cookie is written, its attributes,
 * Vary, flush, failed responses, the size limit, a server-side engine).
 */
import t from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import { SessionTooLarge } from '../../../framework/src/errors.js';
import type { SessionData, SessionEngine } from '../../../framework/src/http/sessions/engine.js';
import { Session } from '../../../framework/src/http/sessions/session.js';
import { SIGNED_COOKIES_SALT, signedCookiesEngine } from '../../../framework/src/http/sessions/signed-cookies.js';
import { installSink, type LogRecord } from '../../../framework/src/log/logger.js';
import { dumps, loads } from '../../../framework/src/signing/index.js';
import { TestClient } from '../../../framework/src/test/client.js';
import { bootSessionSite, setCookieLine, setCookies } from '../../fixtures/session-site.js';

const KEY_A = 'key-a-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ';
const KEY_B = 'key-b-9876543210-zyxwvutsrqponmlkjihgfedcba-JIHGFEDCBA';

function settingsWith(overrides: Record<string, unknown> = {}) {
  return configureSettings({ SECRET_KEY: KEY_A, ...overrides });
}

t.test('Session: a typed store that knows when it changed', async (t) => {
  const settings = settingsWith();
  const engine = signedCookiesEngine({ settings });
  const s = new Session(engine, settings, undefined);
  t.ok(s.isEmpty(), 'a new session is empty');
  t.notOk(s.accessed, 'and untouched until read');
  t.equal(s.get('missing'), undefined);
  t.equal(s.get('missing', 'fallback'), 'fallback');
  t.ok(s.accessed, 'reading marks it accessed');
  t.notOk(s.modified, 'reading does not modify');
  s.set('cart', [1, 2]).set('name', 'café');
  t.ok(s.modified);
  t.same(s.keys(), ['cart', 'name']);
  t.equal(s.size, 2);
  t.ok(s.has('cart'));
  t.equal(s.pop('name'), 'café');
  t.equal(s.pop('name', 'gone'), 'gone');
  t.equal(s.setDefault('visits', 1), 1);
  t.equal(s.setDefault('visits', 5), 1, 'setDefault keeps what is there');
  t.equal(s.delete('visits'), true);
  t.equal(s.delete('visits'), false);
  s.update({ a: { nested: [true, null, 1.5, 'x'] } });
  t.same(s.entries(), [
    ['cart', [1, 2]],
    ['a', { nested: [true, null, 1.5, 'x'] }],
  ]);
  s.set('__proto__', 'data, not a prototype');
  t.equal(s.get('__proto__'), 'data, not a prototype');

  // Only JSON data: what would come back as something else is refused, naming the key.
  t.throws(() => s.set('when', new Date() as never), /session\["when"\] is a Date\. Store date\.toISOString\(\)/);
  t.throws(() => s.set('ids', new Set([1]) as never), /is a Set\. Store \[\.\.\.set\]/);
  t.throws(() => s.set('deep', { list: [1, { fn: () => 1 }] } as never), /session\["deep"\]\["list"\]\[1\]\["fn"\] is a function/);
  t.throws(() => s.set('n', Number.NaN), /is the number NaN, which JSON cannot hold/);
  t.throws(() => s.set('u', undefined as never), /is undefined/);
  t.throws(() => s.update({ ok: 1, bad: 10n as never }), /is a BigInt/);
  t.notOk(s.has('ok'), 'update() stores nothing when one value is bad');
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  t.throws(() => s.set('loop', loop as never), /refers back to itself/);

  s.clear();
  t.equal(s.size, 0);
  t.ok(s.isEmpty(), 'cleared and never saved: empty');
});

t.test('Session expiry: SESSION_COOKIE_AGE, custom seconds, a fixed date, browser close', async (t) => {
  const settings = settingsWith({ SESSION_COOKIE_AGE: 600 });
  const s = new Session(signedCookiesEngine({ settings }), settings, undefined);
  t.equal(s.getExpiryAge(), 600);
  t.notOk(s.getExpireAtBrowserClose());
  s.setExpiry(30);
  t.equal(s.getExpiryAge(), 30);
  const now = Date.UTC(2026, 0, 1);
  s.setExpiry(new Date(now + 90_000));
  t.equal(s.getExpiryAge(now), 90);
  t.equal(s.getExpiryDate(now).getTime(), now + 90_000);
  s.setExpiry(0);
  t.ok(s.getExpireAtBrowserClose());
  t.equal(s.getExpiryAge(), 600, 'a browser-close session still expires on the server after SESSION_COOKIE_AGE');
  s.setExpiry(null);
  t.notOk(s.has('_session_expiry'));
  t.throws(() => s.setExpiry(-1), RangeError);
  t.throws(() => s.setExpiry(new Date('nope')), RangeError);
  const close = settingsWith({ SESSION_EXPIRE_AT_BROWSER_CLOSE: true });
  t.ok(new Session(signedCookiesEngine({ settings: close }), close, undefined).getExpireAtBrowserClose());
});

t.test('signed-cookies engine: Django\'s format; tampered, truncated and expired values are absent', async (t) => {
  let clock = Date.UTC(2026, 5, 1);
  const settings = settingsWith({ SESSION_COOKIE_AGE: 3600 });
  const engine = signedCookiesEngine({ settings }, () => clock);
  const value = await engine.save({ cart: [1, 2], who: 'ann' }, undefined, 3600);
  t.same(loads(value, { key: KEY_A, salt: SIGNED_COOKIES_SALT }), { cart: [1, 2], who: 'ann' }, 'signing.loads with the backend salt reads it');
  t.equal(value, dumps({ cart: [1, 2], who: 'ann' }, { key: KEY_A, salt: SIGNED_COOKIES_SALT, compress: true, now: () => clock }));
  t.same(engine.load(value), { cart: [1, 2], who: 'ann' });

  const [payload, stamp, sig] = value.split(':');
  const forged = dumps({ cart: [1, 2], who: 'admin' }, { key: 'not-the-key', salt: SIGNED_COOKIES_SALT, compress: true });
  for (const [label, bad] of [
    ['another signature', `${payload}:${stamp}:${sig!.slice(0, -2)}${sig!.endsWith('xx') ? 'yy' : 'xx'}`],
    ['truncated', value.slice(0, -5)],
    ['no signature', payload!],
    ['signed with another key', forged],
    ['empty', ''],
    ['garbage', '%%%:::'],
    ['another salt', dumps({ a: 1 }, { key: KEY_A, salt: 'other' })],
    ['not an object', dumps([1, 2], { key: KEY_A, salt: SIGNED_COOKIES_SALT })],
  ] as const) {
    t.equal(engine.load(bad), undefined, label);
  }

  clock += 3601_000;
  t.equal(engine.load(value), undefined, 'older than SESSION_COOKIE_AGE');
  clock -= 2_000;
  t.ok(engine.load(value), 'within SESSION_COOKIE_AGE');

  // A session's own lifetime decides, longer or shorter than the default (Django always uses
  // SESSION_COOKIE_AGE here).
  clock = Date.UTC(2026, 5, 1);
  const long = await engine.save({ _session_expiry: 86400 }, undefined, 86400);
  const short = await engine.save({ _session_expiry: 60 }, undefined, 60);
  const fixed = await engine.save({ _session_expiry: new Date(clock + 7200_000).toISOString() }, undefined, 7200);
  clock += 5000_000;
  t.ok(engine.load(long), 'a longer custom lifetime outlives SESSION_COOKIE_AGE');
  t.equal(engine.load(short), undefined, 'a shorter one ends sooner');
  t.ok(engine.load(fixed), 'a fixed end date ahead');
  clock += 3000_000;
  t.equal(engine.load(fixed), undefined, 'a fixed end date passed');
});

t.test('SECRET_KEY rotation: old cookies verify through SECRET_KEY_FALLBACKS, are re-signed with the new key', async (t) => {
  const underA = await bootSessionSite(t, { SECRET_KEY: KEY_A });
  const first = await fetch(`${underA.url}/count/`);
  const cookieA = setCookies(first).sessionid!;
  t.equal(await first.text(), '1');

  const rotated = await bootSessionSite(t, { SECRET_KEY: KEY_B, SECRET_KEY_FALLBACKS: [KEY_A] });
  const read = await fetch(`${rotated.url}/read/`, { headers: { cookie: `sessionid=${cookieA}` } });
  t.equal(await read.text(), '1', 'a cookie signed under A is accepted under B with A in the fallbacks');
  t.equal(setCookieLine(read, 'sessionid'), undefined, 'reading does not rewrite it');
  const rewritten = await fetch(`${rotated.url}/count/`, { headers: { cookie: `sessionid=${cookieA}` } });
  t.equal(await rewritten.text(), '2');
  const cookieB = setCookies(rewritten).sessionid!;
  t.same(loads(cookieB, { key: KEY_B, salt: SIGNED_COOKIES_SALT }), { n: 2 }, 're-signed under B when rewritten');
  t.throws(() => loads(cookieB, { key: KEY_A, salt: SIGNED_COOKIES_SALT }), 'and no longer under A');

  const dropped = await bootSessionSite(t, { SECRET_KEY: KEY_B });
  const refused = await fetch(`${dropped.url}/read/`, { headers: { cookie: `sessionid=${cookieA}` } });
  t.equal(refused.status, 200);
  t.equal(await refused.text(), 'none', 'rejected once A is dropped: a fresh session');
  t.match(setCookieLine(refused, 'sessionid'), /^sessionid=; .*Max-Age=0/, 'and the stale cookie is deleted');
  const stillB = await fetch(`${dropped.url}/read/`, { headers: { cookie: `sessionid=${cookieB}` } });
  t.equal(await stillB.text(), '2');
});

t.test('the middleware over real HTTP: the cookie is written only when the session changed', async (t) => {
  const site = await bootSessionSite(t);
  const none = await fetch(`${site.url}/untouched/`);
  t.equal(none.headers.getSetCookie().length, 0, 'no session used: no cookie');
  t.equal(none.headers.get('vary'), null, 'and no Vary');

  const readOnly = await fetch(`${site.url}/read/`);
  t.equal(await readOnly.text(), 'none');
  t.equal(readOnly.headers.getSetCookie().length, 0, 'reading an empty session writes nothing');
  t.equal(readOnly.headers.get('vary'), 'Cookie', 'but the page depended on the cookie');

  const created = await fetch(`${site.url}/count/`);
  const line = setCookieLine(created, 'sessionid')!;
  t.match(line, /^sessionid=[\w.:-]+; Max-Age=1209600; Path=\/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax$/, 'two weeks, HttpOnly, SameSite=Lax');
  const cookie = setCookies(created).sessionid!;
  const again = await fetch(`${site.url}/read/`, { headers: { cookie: `sessionid=${cookie}` } });
  t.equal(await again.text(), '1');
  t.equal(again.headers.getSetCookie().length, 0, 'an unchanged session is not written again');
  const untouched = await fetch(`${site.url}/untouched/`, { headers: { cookie: `sessionid=${cookie}` } });
  t.equal(untouched.headers.getSetCookie().length, 0);
  t.equal(untouched.headers.get('vary'), null, 'a view that never reads the session does not vary on it');

  const flushed = await fetch(`${site.url}/flush/`, { headers: { cookie: `sessionid=${cookie}` } });
  t.match(setCookieLine(flushed, 'sessionid'), /^sessionid=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax$/, 'flush deletes the cookie');
  t.equal(flushed.headers.get('vary'), 'Cookie');

  const cycled = await fetch(`${site.url}/cycle/`, { headers: { cookie: `sessionid=${cookie}` } });
  t.same(await cycled.json(), { n: 1 }, 'cycleKey keeps the data');
  t.ok(setCookies(cycled).sessionid, 'and writes the cookie again');
});

t.test('a tampered session cookie is a fresh empty session, never an error', async (t) => {
  const site = await bootSessionSite(t);
  const cookie = setCookies(await fetch(`${site.url}/count/`)).sessionid!;
  // One character of the signature changed (to a different one, whatever it was).
  const at = cookie.length - 10;
  const flipped = `${cookie.slice(0, at)}${cookie[at] === 'A' ? 'B' : 'A'}${cookie.slice(at + 1)}`;
  for (const bad of [flipped, cookie.slice(0, 20), 'x', `${cookie}:extra`, '%00%ff', `"${cookie}"`]) {
    const res = await fetch(`${site.url}/count/`, { headers: { cookie: `sessionid=${bad}` } });
    t.equal(res.status, 200, `status 200 for ${JSON.stringify(bad.slice(-12))}`);
    t.equal(await res.text(), '1', 'the count starts again');
  }
  const read = await fetch(`${site.url}/read/`, { headers: { cookie: 'sessionid=forged' } });
  t.equal(await read.text(), 'none');
  t.match(setCookieLine(read, 'sessionid'), /^sessionid=; Max-Age=0/, 'the bad cookie is deleted');
});

t.test('SESSION_* settings shape the cookie', async (t) => {
  const site = await bootSessionSite(t, {
    SESSION_COOKIE_NAME: 'coffee_session',
    SESSION_COOKIE_AGE: 3600,
    SESSION_COOKIE_DOMAIN: '.coffeehouse.test',
    SESSION_COOKIE_PATH: '/shop/',
    SESSION_COOKIE_SECURE: true,
    SESSION_COOKIE_HTTPONLY: false,
    SESSION_COOKIE_SAMESITE: 'Strict',
  });
  const res = await fetch(`${site.url}/count/`);
  t.match(setCookieLine(res, 'coffee_session'), /^coffee_session=[^;]+; Max-Age=3600; Domain=\.coffeehouse\.test; Path=\/shop\/; Expires=[^;]+; Secure; SameSite=Strict$/);
  t.notMatch(setCookieLine(res, 'coffee_session'), /HttpOnly/);

  const close = await bootSessionSite(t, { SESSION_EXPIRE_AT_BROWSER_CLOSE: true });
  const browser = setCookieLine(await fetch(`${close.url}/count/`), 'sessionid')!;
  t.notMatch(browser, /Max-Age|Expires/, 'a browser-session cookie has neither Max-Age nor Expires');

  const custom = await fetch(`${site.url}/expiry/60/`);
  t.equal(await custom.text(), '60');
  t.match(setCookieLine(custom, 'coffee_session'), /Max-Age=60;/, 'setExpiry() sets the cookie lifetime');
  const zero = await fetch(`${site.url}/expiry/0/`);
  t.notMatch(setCookieLine(zero, 'coffee_session'), /Max-Age/, 'setExpiry(0) lasts until the browser closes');

  const every = await bootSessionSite(t, { SESSION_SAVE_EVERY_REQUEST: true });
  const cookie = setCookies(await fetch(`${every.url}/count/`)).sessionid!;
  const refreshed = await fetch(`${every.url}/untouched/`, { headers: { cookie: `sessionid=${cookie}` } });
  t.ok(setCookies(refreshed).sessionid, 'SESSION_SAVE_EVERY_REQUEST writes an unchanged session again');
  const fresh = await fetch(`${every.url}/untouched/`);
  t.equal(fresh.headers.getSetCookie().length, 0, 'but never an empty one');
});

t.test('a failed response keeps the old session; an oversized one is a clear error', async (t) => {
  const site = await bootSessionSite(t);
  const records: LogRecord[] = [];
  installSink((r) => records.push(r));
  t.teardown(() => installSink(undefined));

  const boom = await fetch(`${site.url}/boom/`);
  t.equal(boom.status, 500);
  t.equal(boom.headers.getSetCookie().length, 0, 'a 500 does not save what the view half-did');

  const ok = await fetch(`${site.url}/big/300/`);
  t.equal(ok.status, 200);
  const tooBig = await fetch(`${site.url}/big/3000/`);
  t.equal(tooBig.status, 500, 'a session over 4 KB is a 500, not a silently dropped cookie');
  t.equal(tooBig.headers.getSetCookie().length, 0);
  const error = records.find((r) => r.err instanceof SessionTooLarge);
  t.ok(error, 'logged with the error');
  t.match((error!.err as Error).message, /^The session cookie 'sessionid' would be [\d,]+ bytes, over the 4,096 that browsers keep/);
  t.equal((error!.err as SessionTooLarge).code, 'RH_ERR_SESSION_TOO_LARGE');

  const debug = await bootSessionSite(t, { DEBUG: true });
  const page = await fetch(`${debug.url}/big/3000/`, { headers: { accept: 'text/html' } });
  t.equal(page.status, 500);
  t.match(await page.text(), /SessionTooLarge[\s\S]*would be [\d,]+ bytes/, 'the DEBUG page names the size');
});

t.test('a server-side engine (given by reference): async load before the view, flush and cycleKey drop keys', async (t) => {
  const store = new Map<string, SessionData>();
  let nextId = 0;
  const deleted: string[] = [];
  const memoryEngine = (): SessionEngine => ({
    name: 'memory',
    serverSide: true,
    load: async (key) => store.get(key),
    save: async (data, key) => {
      const id = key ?? `s${++nextId}`;
      store.set(id, structuredClone(data));
      return id;
    },
    delete: async (key) => {
      deleted.push(key);
      store.delete(key);
    },
  });
  const site = await bootSessionSite(t, { SESSION_ENGINE: memoryEngine });
  const first = await fetch(`${site.url}/count/`);
  const id = setCookies(first).sessionid!;
  t.equal(id, 's1', 'the cookie holds the key');
  t.same(store.get('s1'), { n: 1 });
  const second = await fetch(`${site.url}/count/`, { headers: { cookie: `sessionid=${id}` } });
  t.equal(await second.text(), '2', 'loaded asynchronously, read synchronously');
  t.equal(setCookies(second).sessionid, 's1', 'same key');
  const unknown = await fetch(`${site.url}/read/`, { headers: { cookie: 'sessionid=nope' } });
  t.equal(await unknown.text(), 'none');
  t.match(setCookieLine(unknown, 'sessionid'), /^sessionid=; Max-Age=0/);

  const cycled = await fetch(`${site.url}/cycle/`, { headers: { cookie: `sessionid=${id}` } });
  t.same(await cycled.json(), { n: 2 });
  t.equal(setCookies(cycled).sessionid, 's2', 'cycleKey: a new key');
  t.same(deleted, ['s1'], 'and the old one is dropped');
  t.notOk(store.has('s1'));
  const flushed = await fetch(`${site.url}/flush/`, { headers: { cookie: 'sessionid=s2' } });
  t.match(setCookieLine(flushed, 'sessionid'), /^sessionid=; Max-Age=0/);
  t.same(deleted, ['s1', 's2'], 'flush drops the key from the store');
});

t.test('configuration: an unknown SESSION_ENGINE fails at boot and lists the known ones', async (t) => {
  await t.rejects(bootSessionSite(t, { SESSION_ENGINE: 'database' }), {
    message: "SESSION_ENGINE: unknown session engine 'database'. Known names: 'signed-cookies'; or give an imported engine factory (ctx) => engine.",
    code: 'RH_ERR_UNKNOWN_COMPONENT',
  });
  const site = await bootSessionSite(t, { MIDDLEWARE: ['common'] });
  const client = new TestClient(site.app);
  const res = await client.get('/count/');
  t.equal(res.status, 500, "request.session without the 'sessions' middleware is a configuration error");
});

t.test('the test client keeps session cookies like a browser', async (t) => {
  const site = await bootSessionSite(t);
  const client = new TestClient(site.app);
  for (const n of ['1', '2', '3']) t.equal((await client.get('/count/')).text, n);
  t.ok(client.cookies.get('sessionid'));
  await client.get('/flush/');
  t.notOk(client.cookies.has('sessionid'), 'a deleted cookie leaves the jar');
});
