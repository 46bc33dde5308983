/**
 * Signed cookies on responses and requests, and flash messages, through a real listening server.
 */
import t from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import { BadSignature, SignatureExpired } from '../../../framework/src/errors.js';
import { readSignedCookie } from '../../../framework/src/http/signed-cookies.js';
import { patchVaryHeaders } from '../../../framework/src/http/vary.js';
import { HttpResponse } from '../../../framework/src/http/response.js';
import { SUCCESS, WARNING, DEBUG as DEBUG_LEVEL, ERROR } from '../../../framework/src/messages/levels.js';
import { signCookie, unsignCookie } from '../../../framework/src/signing/index.js';
import { TestClient } from '../../../framework/src/test/client.js';
import { bootSessionSite, SESSION_SITE_KEY, setCookieLine, setCookies } from '../../fixtures/session-site.js';

t.test('setSignedCookie / getSignedCookie: Django\'s cookie format, tampering answers the default', async (t) => {
  const site = await bootSessionSite(t);
  const set = await fetch(`${site.url}/signed/set/?v=flat+white`);
  const line = setCookieLine(set, 'drink')!;
  t.match(line, /; Path=\/; HttpOnly$/, 'the attributes asked for, nothing else (no SameSite unless given, as in Django)');
  const value = decodeURIComponent(setCookies(set).drink!);
  t.equal(unsignCookie('drink', value, { key: SESSION_SITE_KEY, salt: 'menu' }), 'flat white', "the value Django's get_signed_cookie reads");

  const get = (cookie: string, query = '') => fetch(`${site.url}/signed/get/${query}`, { headers: { cookie: `drink=${cookie}` } }).then((r) => r.text());
  t.equal(await get(setCookies(set).drink!), 'flat white');
  const plain = setCookies(await fetch(`${site.url}/signed/set/?v=mocha`)).drink!;
  t.equal(plain.split(':').length, 3, 'a cookie-safe value is written as it is (value:timestamp:signature)');
  t.equal(await get(plain), 'mocha');
  t.equal(await get(plain.replace('mocha', 'latte')), 'none', 'a changed value answers the default');
  t.equal(await get(plain.slice(0, -3)), 'none', 'a truncated one too');
  t.equal(await get(signCookie('other', 'mocha', { key: SESSION_SITE_KEY, salt: 'menu' })), 'none', 'a value signed for another cookie name');
  t.equal(await get(signCookie('drink', 'mocha', { key: SESSION_SITE_KEY, salt: 'other' })), 'none', 'or another salt');
  t.equal(await fetch(`${site.url}/signed/get/`).then((r) => r.text()), 'none', 'a missing cookie');
  const old = signCookie('drink', 'mocha', { key: SESSION_SITE_KEY, salt: 'menu', now: () => Date.now() - 120_000 });
  t.equal(await get(old, '?maxAge=60'), 'none', 'older than maxAge');
  t.equal(await get(old, '?maxAge=600'), 'mocha');

  // The view chooses to see the error with strict.
  const settings = configureSettings({ SECRET_KEY: SESSION_SITE_KEY });
  t.throws(() => readSignedCookie(settings, 'drink', 'forged:value', { strict: true, salt: 'menu' }), BadSignature);
  t.throws(() => readSignedCookie(settings, 'drink', old, { strict: true, salt: 'menu', maxAge: 1 }), SignatureExpired);
  t.equal(readSignedCookie(settings, 'drink', undefined, { strict: true }), undefined, 'strict: a missing cookie is still just absent');
});

t.test('patchVaryHeaders adds each name once and respects *', async (t) => {
  const r = new HttpResponse('');
  patchVaryHeaders(r, ['Cookie']);
  patchVaryHeaders(r, ['accept-encoding', 'cookie']);
  t.equal(r.get('Vary'), 'Cookie, accept-encoding');
  patchVaryHeaders(r, ['*']);
  t.equal(r.get('Vary'), '*');
  patchVaryHeaders(r, ['Cookie']);
  t.equal(r.get('Vary'), '*');
});

t.test('messages: shown once on the next page, kept until read, levels and tags', async (t) => {
  const site = await bootSessionSite(t, { MESSAGE_TAGS: { 40: 'danger' } });
  const client = new TestClient(site.app);
  const added = await client.post('/flash/', { data: { text: 'Thanks for your message!' } });
  t.equal(added.status, 302, 'a redirect after the post');
  t.equal((await client.get('/flash/')).text, '<p class="success">Thanks for your message!</p>', 'shown on the next page');
  t.equal((await client.get('/flash/')).text, '', 'and only once');

  await client.post('/flash/', { data: { text: 'first', level: String(WARNING) } });
  await client.get('/untouched/');
  await client.post('/flash/', { data: { text: 'second <b>', level: String(ERROR), tags: 'sticky' } });
  t.equal(
    (await client.get('/flash/')).text,
    '<p class="warning">first</p><p class="sticky danger">second &lt;b&gt;</p>',
    'unread messages wait through other pages; MESSAGE_TAGS renames a level; text is escaped',
  );
  await client.post('/flash/', { data: { text: 'too quiet', level: String(DEBUG_LEVEL) } });
  t.equal((await client.get('/flash/')).text, '', 'below MESSAGE_LEVEL: dropped');
  await client.post('/flash/', { data: { text: '', level: String(SUCCESS) } });
  t.equal((await client.get('/flash/')).text, '', 'an empty message is dropped');

  const quiet = await bootSessionSite(t, { MESSAGE_LEVEL: DEBUG_LEVEL });
  const q = new TestClient(quiet.app);
  await q.post('/flash/', { data: { text: 'debug detail', level: String(DEBUG_LEVEL) } });
  t.equal((await q.get('/flash/')).text, '<p class="debug">debug detail</p>', 'MESSAGE_LEVEL lowers the threshold');

  await t.rejects(bootSessionSite(t, { MIDDLEWARE: ['messages', 'sessions'] }), { message: /'sessions' must come before 'messages'/ });
  const without = await bootSessionSite(t, { MIDDLEWARE: ['sessions'] });
  const res = await new TestClient(without.app).post('/flash/', { data: { text: 'x' } });
  t.equal(res.status, 500, "adding a message without the 'messages' middleware is a configuration error");
});
