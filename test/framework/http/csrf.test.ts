/**
 * CSRF: token masking, then the 'csrf' middleware through a real listening server — the cookie,
 * tokens in the form and the header, Origin and Referer checks over HTTPS, exemptions, the DEBUG
 * and production 403 pages, what is logged, CSRF_USE_SESSIONS, rotation and the test client.
 */
import t from 'tap';
import {
  CSRF_ALLOWED_CHARS,
  maskSecret,
  newCsrfSecret,
  tokenFormatProblem,
  tokenMatchesSecret,
  unmaskToken,
} from '../../../framework/src/http/csrf/tokens.js';
import { installSink, type LogRecord } from '../../../framework/src/log/logger.js';
import { TestClient } from '../../../framework/src/test/client.js';
import { bootSessionSite, cookieHeader, setCookieLine, setCookies } from '../../fixtures/session-site.js';

t.test('tokens: a new mask every time, the same secret inside', async (t) => {
  const secret = newCsrfSecret();
  t.match(secret, /^[a-zA-Z0-9]{32}$/);
  const a = maskSecret(secret);
  const b = maskSecret(secret);
  t.match(a, /^[a-zA-Z0-9]{64}$/);
  t.not(a, b, 'two tokens for one secret differ');
  t.equal(unmaskToken(a), secret);
  t.equal(unmaskToken(b), secret);
  t.ok(tokenMatchesSecret(a, secret));
  t.ok(tokenMatchesSecret(secret, secret), 'a bare secret is accepted as a token, as Django does');
  t.notOk(tokenMatchesSecret(maskSecret(newCsrfSecret()), secret));
  // Worked by hand: mask 'b...' (index 1) shifts 'a' (0) to 'b'; 'Z' (51) + '9' (61) wraps to 'I' (50).
  const mask = `b9${'a'.repeat(30)}`;
  const cipher = `b${CSRF_ALLOWED_CHARS[(51 + 61) % 62]}${'a'.repeat(30)}`;
  t.equal(unmaskToken(mask + cipher), `aZ${'a'.repeat(30)}`);
  t.equal(tokenFormatProblem('short'), 'has incorrect length');
  t.equal(tokenFormatProblem(`${'a'.repeat(31)}!`), 'has invalid characters');
  t.equal(tokenFormatProblem('a'.repeat(64)), undefined);
});

/** GET the form page and return its cookie and the token printed in it. */
async function formPage(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/form/`, { headers });
  const html = await res.text();
  const token = /name="csrfmiddlewaretoken" value="([a-zA-Z0-9]{64})"/.exec(html)?.[1];
  return { res, html, token: token!, cookie: setCookies(res).csrftoken };
}

function post(url: string, path: string, init: { cookie?: string; body?: Record<string, string>; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.cookie) headers.cookie = cookieHeader({ csrftoken: init.cookie });
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(init.body ?? {}).toString(),
    redirect: 'manual',
  });
}

t.test('a page that prints a token sets the cookie; posts need the cookie and a matching token', async (t) => {
  const site = await bootSessionSite(t);
  const records: LogRecord[] = [];
  installSink((r) => records.push(r));
  t.teardown(() => installSink(undefined));

  const plain = await fetch(`${site.url}/untouched/`);
  t.equal(setCookieLine(plain, 'csrftoken'), undefined, 'no token used: no CSRF cookie');

  const { res, token, cookie } = await formPage(site.url);
  t.match(setCookieLine(res, 'csrftoken'), /^csrftoken=[a-zA-Z0-9]{32}; Max-Age=31449600; Path=\/; Expires=[^;]+; SameSite=Lax$/, 'a year, readable by scripts, SameSite=Lax');
  t.equal(res.headers.get('vary'), 'Cookie');
  t.equal(unmaskToken(token), cookie, 'the form token carries the cookie secret');

  const again = await formPage(site.url, { cookie: `csrftoken=${cookie}` });
  t.not(again.token, token, 'a new mask on every page');
  t.equal(again.cookie, cookie, 'the same secret, sent again to renew it');

  const cases: [string, Parameters<typeof post>[2], string][] = [
    ['no cookie', { body: { csrfmiddlewaretoken: token } }, 'CSRF cookie not set.'],
    ['no token', { cookie }, 'CSRF token missing.'],
    ['a wrong token', { cookie, body: { csrfmiddlewaretoken: maskSecret(newCsrfSecret()) } }, 'CSRF token from POST incorrect.'],
    ['a short token', { cookie, body: { csrfmiddlewaretoken: 'abc' } }, 'CSRF token from POST has incorrect length.'],
    ['a token with bad characters', { cookie, body: { csrfmiddlewaretoken: `${token.slice(0, 63)}!` } }, 'CSRF token from POST has invalid characters.'],
    ['a wrong header token', { cookie, headers: { 'x-csrftoken': maskSecret(newCsrfSecret()) } }, "CSRF token from the 'X-Csrftoken' HTTP header incorrect."],
    ['a malformed cookie', { cookie: 'not-a-secret', body: { csrfmiddlewaretoken: token } }, 'CSRF cookie has incorrect length.'],
  ];
  for (const [label, init, reason] of cases) {
    records.length = 0;
    const refused = await post(site.url, '/form/', init);
    t.equal(refused.status, 403, label);
    t.match(await refused.text(), /Form expired/, `${label}: the site's 403_csrf.html, without the reason`);
    const record = records.find((r) => r.name === 'reinhardt.security.csrf');
    t.equal(record?.msg, `Forbidden (${reason}): /form/`, `${label}: logged with Django's reason`);
    t.equal(record?.level, 'WARNING');
    t.notOk(records.some((r) => r.name === 'reinhardt.request'), 'logged once, not also as a request error');
  }
  const replaced = await post(site.url, '/form/', { cookie: 'not-a-secret' });
  t.match(setCookieLine(replaced, 'csrftoken'), /^csrftoken=[a-zA-Z0-9]{32};/, 'a malformed cookie is replaced');

  const accepted = await post(site.url, '/form/', { cookie, body: { csrfmiddlewaretoken: token, drink: 'mocha' } });
  t.equal(accepted.status, 200);
  t.equal(await accepted.text(), 'accepted mocha');
  const viaHeader = await post(site.url, '/form/', { cookie, headers: { 'x-csrftoken': again.token } });
  t.equal(await viaHeader.text(), 'accepted ', 'the header works for AJAX');
  const bare = await post(site.url, '/form/', { cookie, body: { csrfmiddlewaretoken: cookie } });
  t.equal(bare.status, 200, 'the unmasked secret is accepted too');
  const put = await fetch(`${site.url}/form/`, { method: 'DELETE', headers: { cookie: `csrftoken=${cookie}` } });
  t.equal(put.status, 403, 'DELETE is checked like POST');
  const del = await fetch(`${site.url}/form/`, { method: 'DELETE', headers: { cookie: `csrftoken=${cookie}`, 'x-csrftoken': token } });
  t.equal(del.status, 200);
  for (const method of ['HEAD', 'OPTIONS']) {
    t.not((await fetch(`${site.url}/form/`, { method })).status, 403, `${method} is safe`);
  }

  t.equal((await post(site.url, '/api/')).status, 200, 'csrfExempt views take posts without a token');
  t.equal((await post(site.url, '/nowhere/')).status, 404, 'a post to a missing URL is a 404, not a CSRF 403');
});

t.test('HTTPS: Origin must be trusted; without Origin, the Referer must be this site over HTTPS', async (t) => {
  const site = await bootSessionSite(t, { CSRF_TRUSTED_ORIGINS: ['https://*.partner.test', 'https://exact.test'] });
  const host = new URL(site.url).host;
  const { token, cookie } = await formPage(site.url);
  const https = { 'x-forwarded-proto': 'https' };
  const body = { csrfmiddlewaretoken: token };
  const cases: [string, Record<string, string>, number, string?][] = [
    ['a foreign Origin', { ...https, origin: 'https://evil.test' }, 403, 'Origin checking failed - https://evil.test does not match any trusted origins.'],
    ['the site over http from an https page', { ...https, origin: `http://${host}` }, 403],
    ["the site's own origin", { ...https, origin: `https://${host}` }, 200],
    ['a trusted subdomain', { ...https, origin: 'https://shop.partner.test' }, 200],
    ['the trusted domain itself', { ...https, origin: 'https://partner.test' }, 200],
    ['a look-alike domain', { ...https, origin: 'https://evilpartner.test' }, 403],
    ['a trusted origin exactly', { ...https, origin: 'https://exact.test' }, 200],
    ['the wrong scheme for a trusted origin', { ...https, origin: 'http://exact.test' }, 403],
    ["Origin 'null'", { ...https, origin: 'null' }, 403],
    ['no Origin, no Referer', https, 403, 'Referer checking failed - no Referer.'],
    ['a malformed Referer', { ...https, referer: 'not a url' }, 403, 'Referer checking failed - Referer is malformed.'],
    ['an http Referer', { ...https, referer: `http://${host}/form/` }, 403, 'Referer checking failed - Referer is insecure while host is secure.'],
    ['a foreign Referer', { ...https, referer: 'https://evil.test/form/' }, 403, 'Referer checking failed - https://evil.test/form/ does not match any trusted origins.'],
    ["the site's own Referer", { ...https, referer: `https://${host}/form/` }, 200],
    ['a trusted Referer', { ...https, referer: 'https://a.partner.test/page' }, 200],
    ['plain http needs no Referer', {}, 200],
    ['a foreign Origin over http', { origin: 'http://evil.test' }, 403],
  ];
  const records: LogRecord[] = [];
  installSink((r) => records.push(r));
  t.teardown(() => installSink(undefined));
  for (const [label, headers, status, reason] of cases) {
    records.length = 0;
    const res = await post(site.url, '/form/', { cookie, body, headers });
    t.equal(res.status, status, label);
    if (reason) t.equal(records.find((r) => r.name === 'reinhardt.security.csrf')?.msg, `Forbidden (${reason}): /form/`, `${label}: reason`);
  }

  const withDomain = await bootSessionSite(t, { CSRF_COOKIE_DOMAIN: '.coffeehouse.test', ALLOWED_HOSTS: ['.coffeehouse.test', '127.0.0.1'] });
  const page = await formPage(withDomain.url);
  const fromWww = await post(withDomain.url, '/form/', {
    cookie: page.cookie,
    body: { csrfmiddlewaretoken: page.token },
    headers: { ...https, referer: `https://www.coffeehouse.test:${new URL(withDomain.url).port}/` },
  });
  t.equal(fromWww.status, 200, 'with CSRF_COOKIE_DOMAIN, a Referer anywhere in that domain (same port) is good');
});

t.test('DEBUG shows the reason; production without 403_csrf.html falls back to 403.html, then the plain page', async (t) => {
  const debug = await bootSessionSite(t, { DEBUG: true });
  const res = await post(debug.url, '/form/', { body: { drink: 'x' } });
  t.equal(res.status, 403);
  const page = await res.text();
  t.match(page, /<h1>Forbidden <small>\(403\)<\/small><\/h1>/);
  t.match(page, /CSRF verification failed\. Request aborted\./);
  t.match(page, /CSRF cookie not set\./, 'the reason');
  t.match(page, /it is set by the response of the page that shows the form/, 'and what causes it');
  t.match(page, /&lt;%~ it\.csrfInput %&gt;/, 'with the template line to add, escaped');
  t.equal(res.headers.get('x-content-type-options'), 'nosniff', 'the page passed back through the middleware');

  const evil = await post(debug.url, '/form/', { headers: { origin: 'http://<script>x</script>' } });
  t.notMatch(await evil.text(), /<script>x/, 'a hostile Origin is escaped on the page');

  const with403 = await bootSessionSite(t, {}, { 'site/templates/403_csrf.html': undefined, 'site/templates/403.html': '<p>Site 403</p>' });
  t.match(await (await post(with403.url, '/form/')).text(), /Site 403/, "the site's 403.html");
  const bare = await bootSessionSite(t, { TEMPLATES: [] });
  const plain = await post(bare.url, '/form/');
  t.equal(plain.status, 403);
  t.match(await plain.text(), /<h1>403 Forbidden<\/h1>/);
});

t.test('CSRF_USE_SESSIONS keeps the secret in the session', async (t) => {
  const site = await bootSessionSite(t, { CSRF_USE_SESSIONS: true });
  const client = new TestClient(site.app, { enforceCsrfChecks: true });
  const page = await client.get('/form/');
  t.notOk(client.cookies.has('csrftoken'), 'no CSRF cookie');
  t.ok(client.cookies.has('sessionid'), 'the secret went into the session');
  const token = /value="(\w{64})"/.exec(page.text)![1]!;
  t.equal((await client.post('/form/', { data: { csrfmiddlewaretoken: token } })).status, 200);
  t.equal((await client.post('/form/', { data: { csrfmiddlewaretoken: maskSecret(newCsrfSecret()) } })).status, 403);
  const fresh = new TestClient(site.app, { enforceCsrfChecks: true });
  t.equal((await fresh.post('/form/', { data: { csrfmiddlewaretoken: token } })).status, 403, 'another visitor has no secret');

  await t.rejects(bootSessionSite(t, { CSRF_USE_SESSIONS: true, MIDDLEWARE: ['csrf', 'sessions'] }), {
    message: /'sessions' must come before 'csrf' in MIDDLEWARE/,
  });
});

t.test('rotation, old masked cookies, and the test client', async (t) => {
  const site = await bootSessionSite(t);
  const client = new TestClient(site.app, { enforceCsrfChecks: true });
  const first = (await client.get('/token/')).json<{ token: string }>().token;
  const before = client.cookies.get('csrftoken')!;
  const rotated = (await client.get('/login/')).json<{ token: string }>().token;
  const after = client.cookies.get('csrftoken')!;
  t.not(after, before, 'rotateCsrfToken sends a new secret');
  t.equal((await client.post('/form/', { data: { csrfmiddlewaretoken: first } })).status, 403, 'a token from before is worthless');
  t.equal((await client.post('/form/', { data: { csrfmiddlewaretoken: rotated } })).status, 200);

  // A Django < 4.1 cookie holds a masked secret (64 characters): accepted, and rewritten bare.
  const secret = newCsrfSecret();
  const oldCookie = maskSecret(secret);
  const page = await formPage(site.url, { cookie: `csrftoken=${oldCookie}` });
  t.equal(page.cookie, secret, 'rewritten as the bare secret');
  const accepted = await post(site.url, '/form/', { cookie: oldCookie, body: { csrfmiddlewaretoken: maskSecret(secret) } });
  t.equal(accepted.status, 200);

  const lax = new TestClient(site.app);
  t.equal((await lax.post('/form/', { data: { drink: 'tea' } })).text, 'accepted tea', "the test client skips the checks unless asked, as Django's does");
  const raw = await fetch(`${site.url}/form/`, { method: 'POST' });
  t.equal(raw.status, 403, 'but nothing a client sends can skip them');
});
