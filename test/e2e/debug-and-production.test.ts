/**
 * Table 5-1 through real listening servers: hosts, error pages in DEBUG and in production, and
 * what gets logged.
 */
import { join } from 'node:path';
import t from 'tap';
import { type LogRecord, installSink } from '../../framework/src/log/logger.js';
import { eventually, SITE } from '../helpers.js';
import { bootSite, rawExchange, rawGet, writeSite } from '../fixtures/sites.js';

const KEY = 'x9-super-secret-signing-key-<b>&"quoted"-0123456789-abcdefghijklmnop';

/** Capture records (after boot: createApp applies LOGGING, which installs its own sink). */
function captureRecords(t: { teardown(fn: () => unknown): void }): LogRecord[] {
  const records: LogRecord[] = [];
  installSink((r) => records.push(r));
  t.teardown(() => installSink(undefined));
  return records;
}

const views = `
import { HttpResponse } from 'reinhardt/http';
import { render } from 'reinhardt/shortcuts';
export function ok() { return new HttpResponse('ok'); }
export function boom() { throw new Error('Kaboom <script>alert(1)</script> key=' + ${JSON.stringify(KEY)}); }
export function page(request) { return render(request, 'page.html', {}); }
`;

const urls = `
import { path } from 'reinhardt/urls';
import * as views from './views.js';
export const urlpatterns = [
  path('', views.ok, { name: 'home' }),
  path('boom/', views.boom, { name: 'boom' }),
];
`;

function settingsModule(debug: boolean, extra = ''): string {
  return `
import { join } from 'node:path';
import { defineSettings, projectPaths } from 'reinhardt/conf';
const { PROJECT_DIR } = projectPaths(import.meta.url);
export default defineSettings({
  DEBUG: ${debug},
  SECRET_KEY: ${JSON.stringify(KEY)},
  ROOT_URLCONF: 'site.urls',
  MIDDLEWARE: ['security', 'common', 'x-frame-options'],
  TEMPLATES: [{ BACKEND: 'eta', DIRS: [join(PROJECT_DIR, 'templates')] }],
  ${extra}
});
`;
}

t.test('production coffeehouse: ALLOWED_HOSTS decides, one DisallowedHost record per refusal', async (t) => {
  process.env.COFFEEHOUSE_CONFIG = join(SITE, 'coffeehouse', 'production.cfg.example');
  t.teardown(() => delete process.env.COFFEEHOUSE_CONFIG);
  // Plain storage: this test is about hosts, not about a collected manifest (static-production.test.ts is).
  const site = await bootSite(t, SITE, 'coffeehouse.settings.production', {}, { STATICFILES_STORAGE: 'plain' });
  const records = captureRecords(t);
  const https = { 'X-Forwarded-Proto': 'https' };

  const good = await rawGet(site.url, '/', { Host: 'www.coffeehouse.com', ...https });
  t.equal(good.status, 200);
  t.equal(good.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', 'HSTS on secure requests');

  for (const host of ['evil.com', 'coffeehouse.com.evil.com', 'www.coffeehouse.com@evil.com']) {
    const before = records.filter((r) => r.name === 'reinhardt.security.DisallowedHost').length;
    const res = await rawGet(site.url, '/', { Host: host, ...https });
    t.equal(res.status, 400, `${host} → 400`);
    t.notMatch(res.body, host, 'the page does not echo the host');
    t.notMatch(res.body, /at .*\.ts:\d+/, 'no stack');
    const after = records.filter((r) => r.name === 'reinhardt.security.DisallowedHost');
    t.equal(after.length, before + 1, `one DisallowedHost record for ${host}`);
  }
  const msgs = records.filter((r) => r.name === 'reinhardt.security.DisallowedHost').map((r) => r.msg);
  t.equal(msgs[0], "Invalid HTTP_HOST header: 'evil.com'. You may need to add 'evil.com' to ALLOWED_HOSTS.");
  t.match(msgs[2], /The domain name provided is not valid according to RFC 1034\/1035/);

  const plain = await rawGet(site.url, '/about/', { Host: 'coffeehouse.com' });
  t.equal(plain.status, 301, 'plain HTTP is redirected to HTTPS');
  t.equal(plain.headers.location, 'https://coffeehouse.com/about/');
});

t.test('development coffeehouse with an empty ALLOWED_HOSTS: localhost only', async (t) => {
  const site = await bootSite(t, SITE, 'coffeehouse.settings.development');
  captureRecords(t);
  t.equal((await rawGet(site.url, '/', { Host: 'localhost:8000' })).status, 200);
  t.equal((await rawGet(site.url, '/', { Host: '127.0.0.1' })).status, 200);
  t.equal((await rawGet(site.url, '/', { Host: '[::1]:8000' })).status, 200);
  const evil = await rawGet(site.url, '/', { Host: 'example.com' });
  t.equal(evil.status, 400);
  t.match(evil.body, /DisallowedHost/, 'DEBUG shows the technical page');
});

t.test('DEBUG true: the technical page escapes and masks', async (t) => {
  const dir = writeSite(t, { 'site/settings.ts': settingsModule(true), 'site/urls.ts': urls, 'site/views.ts': views, 'site/templates/.keep': '' });
  const site = await bootSite(t, dir);
  const records = captureRecords(t);
  const res = await fetch(`${site.url}/boom/`, { headers: { accept: 'text/html' } });
  t.equal(res.status, 500);
  const html = await res.text();
  t.match(html, /Kaboom/);
  t.notMatch(html, /<script>alert/, 'the message is escaped');
  t.match(html, /&lt;script&gt;alert/);
  t.notMatch(html, 'x9-super-secret-signing-key', 'the key appears nowhere, in any form');
  t.match(html, /views\.ts/, 'the traceback names the view file');

  const text = await fetch(`${site.url}/boom/`, { headers: { accept: 'application/json' } });
  t.equal(text.status, 500);
  t.match(text.headers.get('content-type') ?? '', /^text\/plain/);
  const report = await text.text();
  t.match(report, /Error at \/boom\//);
  t.notMatch(report, 'x9-super-secret-signing-key');

  const notFound = await fetch(`${site.url}/missing/`);
  t.equal(notFound.status, 404);
  t.match(await notFound.text(), /boom\//, 'the technical 404 lists the patterns tried');
  t.ok(records.some((r) => r.name === 'reinhardt.request' && r.level === 'ERROR' && r.msg === 'Internal Server Error: /boom/'));
});

t.test('DEBUG false: the site\'s 500.html, and a plain fallback when it fails', async (t) => {
  const good = writeSite(t, {
    'site/settings.ts': settingsModule(false, "ALLOWED_HOSTS: ['127.0.0.1'],"),
    'site/urls.ts': urls,
    'site/views.ts': views,
    'site/templates/500.html': '<h1>Our own 500</h1>',
  });
  const site = await bootSite(t, good);
  let records = captureRecords(t);
  const res = await fetch(`${site.url}/boom/`);
  t.equal(res.status, 500);
  const body = await res.text();
  t.equal(body, '<h1>Our own 500</h1>');

  const broken = writeSite(t, {
    'site/settings.ts': settingsModule(false, "ALLOWED_HOSTS: ['127.0.0.1'],"),
    'site/urls.ts': urls,
    'site/views.ts': views,
    'site/templates/500.html': "<h1><%= it.nothing.here %></h1>",
  });
  const site2 = await bootSite(t, broken);
  records = captureRecords(t);
  const res2 = await fetch(`${site2.url}/boom/`);
  t.equal(res2.status, 500);
  const body2 = await res2.text();
  t.match(body2, /Server Error \(500\)/, 'the built-in page');
  t.notMatch(body2, /Kaboom|nothing|views\.ts|\/tmp\//, 'nothing leaks');
  const errors = records.filter((r) => r.name === 'reinhardt.request' && r.level === 'ERROR');
  t.ok(errors.some((r) => r.msg === 'Error rendering 500.html: the built-in page was sent instead'), 'the template failure is logged');
  t.ok(errors.some((r) => r.msg === 'Internal Server Error: /boom/' && r.err instanceof Error && /Kaboom/.test(r.err.message)), 'the original error is logged');

  const nf = await fetch(`${site2.url}/does-not-exist/`);
  t.equal(nf.status, 404);
  const nfBody = await nf.text();
  t.notMatch(nfBody, 'does-not-exist', 'the 404 page does not echo the path');
});

/** One HTTP/1.0 request with no Host header: what the server answered. */
function requestWithoutHost(url: string): Promise<string> {
  return rawExchange(url, 'GET / HTTP/1.0\r\n\r\n');
}

t.test('a request without Host (HTTP/1.0) is checked as the server address it reached', async (t) => {
  const dir = writeSite(t, { 'site/settings.ts': settingsModule(false, "ALLOWED_HOSTS: ['127.0.0.1'],"), 'site/urls.ts': urls, 'site/views.ts': views });
  const site = await bootSite(t, dir);
  const answer = await requestWithoutHost(site.url);
  t.match(answer, /^HTTP\/1\.1 200 /, '127.0.0.1 is allowed, and that is where the request came in');
  t.match(answer, /\r\n\r\nok$/);

  const other = writeSite(t, { 'site/settings.ts': settingsModule(false, "ALLOWED_HOSTS: ['coffeehouse.com'],"), 'site/urls.ts': urls, 'site/views.ts': views });
  const refusing = await bootSite(t, other);
  const records = captureRecords(t);
  t.match(await requestWithoutHost(refusing.url), /^HTTP\/1\.1 400 /, 'the server address is not in ALLOWED_HOSTS: 400');
  const refusal = records.find((r) => r.name === 'reinhardt.security.DisallowedHost');
  t.match(refusal?.msg, /^Invalid HTTP_HOST header: '127\.0\.0\.1:\d+'\./, 'the refusal names the address and port');
});

t.test('production logs: a 4xx record carries no traceback, a 500 record does', async (t) => {
  const dir = writeSite(t, {
    'site/settings.ts': settingsModule(
      false,
      `ALLOWED_HOSTS: ['127.0.0.1'],
  LOGGING: {
    handlers: { warnings: { class: 'file', filename: join(PROJECT_DIR, 'warnings.log'), level: 'WARNING' } },
    loggers: { 'reinhardt.request': { handlers: ['warnings'], level: 'WARNING' } },
  },`,
    ),
    'site/urls.ts': `
import { path } from 'reinhardt/urls';
import { Http404, PermissionDenied } from 'reinhardt/http';
import * as views from './views.js';
export const urlpatterns = [
  path('boom/', views.boom),
  path('denied/', () => { throw new PermissionDenied('staff only'); }),
  path('gone/', () => { throw new Http404('no such drink'); }),
];
`,
    'site/views.ts': views,
  });
  const site = await bootSite(t, dir);
  t.equal((await fetch(`${site.url}/denied/`)).status, 403);
  t.equal((await fetch(`${site.url}/gone/`)).status, 404);
  t.equal((await fetch(`${site.url}/boom/`)).status, 500);
  const { existsSync, readFileSync } = await import('node:fs');
  const file = join(dir, 'site', 'warnings.log');
  // The file handler writes in the background: wait for the three records.
  const lines = await eventually(async () => {
    const found = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
    return found.length >= 3 ? found : undefined;
  });
  const byMsg = new Map(lines.map((l) => JSON.parse(l) as Record<string, unknown>).map((r) => [r.msg, r]));
  for (const msg of ['Forbidden (Permission denied): /denied/', 'Not Found: /gone/']) {
    const record = byMsg.get(msg);
    t.match(record, { level: 'WARNING', name: 'reinhardt.request' }, `${msg} is logged`);
    t.equal(record?.err, undefined, `${msg}: no error object`);
  }
  t.notMatch(lines.filter((l) => !l.includes('/boom/')).join('\n'), /\.ts:\d+|\/tmp\/|staff only|no such drink/, 'no stack, path or message of a client error');
  t.match(byMsg.get('Internal Server Error: /boom/'), { level: 'ERROR', err: { type: 'Error', stack: /views\.ts:\d+/ } }, 'the server error keeps its traceback');
});
