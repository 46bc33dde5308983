/**
 * A Reinhardt site and a Django 3.2 site (Debian's python3-django, driven by Django's own test
 * Client in test/fixtures/django/peer.py) sharing one SECRET_KEY: each reads the other's session
 * cookies and flash messages, and accepts the other's CSRF cookie and form token.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { unmaskToken } from '../../framework/src/http/csrf/tokens.js';
import { bootSessionSite, cookieHeader, SESSION_SITE_KEY, setCookies } from '../fixtures/session-site.js';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('../fixtures/django/peer.py', import.meta.url));

interface PeerRequest {
  method: 'GET' | 'POST';
  path: string;
  cookies?: Record<string, string>;
  data?: Record<string, string>;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}
interface PeerResponse {
  status: number;
  body: string;
  cookies: Record<string, string>;
}

function django(requests: PeerRequest[]): PeerResponse[] {
  const run = spawnSync(PYTHON, [PEER], { input: JSON.stringify({ secretKey: SESSION_SITE_KEY, requests }), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`peer.py failed (${run.status}):\n${run.stderr}`);
  return (JSON.parse(run.stdout) as { responses: PeerResponse[] }).responses;
}

const probe = spawnSync(PYTHON, ['-c', 'import django; assert django.VERSION[:2] == (3, 2)'], { encoding: 'utf8' });
if (probe.status !== 0) {
  t.fail("Debian's python3-django 3.2 is not installed: run scripts/setup-system.sh");
} else {
  t.test('sessions: each site reads the session the other wrote', async (t) => {
    const site = await bootSessionSite(t);
    const data = { cart: [1, 2, 3], name: 'café ☕', nested: { ok: true, none: null, price: 3.5 } };
    const ours = await fetch(`${site.url}/session/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
    const ourCookie = setCookies(ours).sessionid!;
    const [read] = django([{ method: 'GET', path: '/session/', cookies: { sessionid: ourCookie } }]);
    t.equal(read!.status, 200);
    t.same(JSON.parse(read!.body), data, "Django's signed_cookies backend reads Reinhardt's session");

    const [written] = django([{ method: 'POST', path: '/session/', json: { from: 'django', visits: 7, tags: ['a', 'ü'] } }]);
    const theirs = written!.cookies.sessionid!;
    const back = await fetch(`${site.url}/session/`, { headers: { cookie: `sessionid=${theirs}` } });
    t.same(await back.json(), { from: 'django', visits: 7, tags: ['a', 'ü'] }, "Reinhardt reads Django's");

    const [tampered] = django([{ method: 'GET', path: '/session/', cookies: { sessionid: `${ourCookie.slice(0, -2)}${ourCookie.endsWith('zz') ? 'yy' : 'zz'}` } }]);
    t.same(JSON.parse(tampered!.body), {}, 'and Django, like Reinhardt, treats a tampered one as empty');
  });

  t.test('CSRF: a token from one site is accepted by the other', async (t) => {
    const site = await bootSessionSite(t);
    const page = await fetch(`${site.url}/token/`);
    const ourSecret = setCookies(page).csrftoken!;
    const { token: ourToken } = (await page.json()) as { token: string };
    const [accepted, header, refused] = django([
      { method: 'POST', path: '/form/', cookies: { csrftoken: ourSecret }, data: { csrfmiddlewaretoken: ourToken } },
      { method: 'POST', path: '/form/', cookies: { csrftoken: ourSecret }, headers: { 'X-CSRFToken': ourToken } },
      { method: 'POST', path: '/form/', cookies: { csrftoken: ourSecret }, data: { csrfmiddlewaretoken: 'x'.repeat(64) } },
    ]);
    t.equal(accepted!.status, 200, "Django 3.2 accepts Reinhardt's cookie and form token");
    t.equal(accepted!.body, 'accepted');
    t.equal(header!.status, 200, 'and the header token');
    t.equal(refused!.status, 403, 'a wrong token is refused there too');

    const [djangoPage] = django([{ method: 'GET', path: '/form/' }]);
    const theirCookie = djangoPage!.cookies.csrftoken!;
    const theirToken = (JSON.parse(djangoPage!.body) as { token: string }).token;
    t.equal(theirCookie.length, 64, 'Django 3.2 keeps a masked secret in the cookie');
    const ours = await fetch(`${site.url}/form/`, {
      method: 'POST',
      headers: { cookie: cookieHeader({ csrftoken: theirCookie }), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfmiddlewaretoken: theirToken, drink: 'cortado' }).toString(),
    });
    t.equal(ours.status, 200, "Reinhardt accepts Django 3.2's cookie and token");
    t.equal(await ours.text(), 'accepted cortado');
    const renewed = setCookies(await fetch(`${site.url}/token/`, { headers: { cookie: `csrftoken=${theirCookie}` } })).csrftoken!;
    t.equal(renewed, unmaskToken(theirCookie), 'and rewrites the old masked cookie as the bare secret');
  });

  t.test('messages: a message added on one site is shown by the other', async (t) => {
    const site = await bootSessionSite(t);
    const added = await fetch(`${site.url}/flash/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ text: 'Saved — thanks!', tags: 'toast' }).toString(),
      redirect: 'manual',
    });
    const [shown] = django([{ method: 'GET', path: '/messages/', cookies: { sessionid: setCookies(added).sessionid! } }]);
    t.same(JSON.parse(shown!.body), [[25, 'Saved — thanks!', 'toast success']], 'Django shows Reinhardt’s message');

    const [djangoAdded] = django([{ method: 'POST', path: '/messages/', text: 'From Django' }]);
    const page = await fetch(`${site.url}/flash/`, { headers: { cookie: `sessionid=${djangoAdded!.cookies.sessionid}` } });
    t.equal(await page.text(), '<p class="success">From Django</p>', 'Reinhardt shows Django’s');
  });
}
