/**
 * Error mail from a real site: createApp on a listening port, fetch over loopback, a real SMTP
 * server. A view that raises with DEBUG off gives the client its 500 page and ADMINS one mail;
 * a dead or stalled mail server changes nothing for the client; a burst of one error is one mail
 * and a digest while every request is logged; LOGGING can silence DisallowedHost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { closeLogging, configureLogging, flushLogging } from '../../framework/src/log/configure.js';
import { bootSite, rawGet, writeSite } from '../fixtures/sites.js';
import { tempDir } from '../helpers.js';
import { TextCapture } from '../framework/log/fixtures/capture.js';
import { closedPort, startSmtp, until } from '../framework/log/fixtures/smtp.js';

const KEY = 'site-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz';

function files(port: number, extra = ''): Record<string, string> {
  return {
    'site/settings.ts': `
import { defineSettings } from 'reinhardt/conf';
export default defineSettings({
  DEBUG: false,
  SECRET_KEY: ${JSON.stringify(KEY)},
  ALLOWED_HOSTS: ['127.0.0.1'],
  ROOT_URLCONF: 'site.urls',
  MIDDLEWARE: ['security', 'common'],
  ADMINS: [['Ops', 'ops@coffeehouse.test']],
  EMAIL_BACKEND: 'smtp',
  EMAIL_HOST: '127.0.0.1',
  EMAIL_PORT: ${port},
  EMAIL_TIMEOUT: 30,
  SERVER_EMAIL: 'server@coffeehouse.test',
  ${extra}
});
`,
    'site/urls.ts': `
import { path } from 'reinhardt/urls';
import * as views from './views.js';
export const urlpatterns = [
  path('', views.home, { name: 'home' }),
  path('boom/', views.boom, { name: 'boom' }),
];
`,
    'site/views.ts': `
import { HttpResponse } from 'reinhardt/http';
export function home() { return new HttpResponse('home'); }
export function boom() {
  throw new Error('The espresso machine lost its key: ' + ${JSON.stringify(KEY)});
}
`,
  };
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

async function boot(t: Teardown, port: number, extra = '') {
  const site = await bootSite(t, writeSite(t, files(port, extra)));
  const out = new TextCapture();
  await configureLogging(site.app.settings, { stream: out, errorStream: out });
  t.teardown(() => closeLogging({ timeoutMs: 2_000 }));
  return { ...site, out };
}

t.test('a view raises with DEBUG off: the client gets the 500 page, ADMINS get exactly one mail', async (t) => {
  const smtp = await startSmtp(t);
  const site = await boot(t, smtp.port);
  const res = await fetch(`${site.url}/boom/`);
  const body = await res.text();
  t.equal(res.status, 500);
  t.notMatch(body, /espresso|Traceback|at boom/, 'the page shows nothing of the error');
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  t.equal(smtp.messages.length, 1);
  const [mail] = smtp.messages;
  t.equal(mail!.subject, '[Reinhardt] ERROR (EXTERNAL IP): Internal Server Error: /boom/');
  t.same(mail!.to, ['ops@coffeehouse.test']);
  t.match(mail!.text, /^Internal Server Error: \/boom\/\n\n/);
  t.match(mail!.text, /Traceback \(most recent call last\):/);
  t.match(mail!.text, /views\.ts", line \d+, in boom/, 'the frame in the view, in the .ts file');
  t.match(mail!.text, /The espresso machine lost its key: \*+/);
  t.notMatch(mail!.raw, KEY, 'SECRET_KEY appears nowhere in the mail');
});

t.test('the mail server is down: the client still gets its 500, and the failure is logged once', async (t) => {
  const site = await boot(t, await closedPort());
  const res = await fetch(`${site.url}/boom/`);
  t.equal(res.status, 500);
  await res.text();
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  const failures = site.out.json().filter((l) => l.name === 'reinhardt.mail');
  t.equal(failures.length, 1);
  t.match(failures[0], { level: 'ERROR', msg: /^Error mail to ADMINS .* could not be sent/ });
  t.notMatch(site.out.text, KEY);
});

t.test('the mail server accepts the connection and stalls: the response is complete before the mail is accepted', async (t) => {
  const smtp = await startSmtp(t);
  smtp.stall();
  const events: string[] = [];
  smtp.onAccepted = () => events.push('mail accepted');
  const site = await boot(t, smtp.port);

  let heldAtResponse = '';
  const response = fetch(`${site.url}/boom/`).then(async (res) => {
    await res.text();
    events.push(`response ${res.status} complete`);
    heldAtResponse = `${smtp.messages.length} accepted, ${smtp.closed} sessions ended`;
  });
  // The server holds the message; the response must not be waiting for it.
  await until(() => smtp.connections === 1, 'the mail to reach the server');
  await response;
  events.push('releasing the mail server');
  smtp.release();
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  t.same(events, ['response 500 complete', 'releasing the mail server', 'mail accepted']);
  // Had the request waited for the mail, it could only have ended once the SMTP client gave up.
  t.equal(heldAtResponse, '0 accepted, 0 sessions ended', 'when the response completed, the mail was still held, its session still open');
});

t.test('100 identical errors in a burst: at most 2 mails, 100 records', async (t) => {
  const smtp = await startSmtp(t);
  const logs = tempDir(t, 'reinhardt-logs-');
  const file = join(logs, 'requests.log');
  const site = await boot(
    t,
    smtp.port,
    `LOGGING: { handlers: { requests: { class: 'file', filename: ${JSON.stringify(file)} } }, loggers: { 'reinhardt.request': { handlers: ['requests'] } } },`,
  );
  const statuses = await Promise.all(
    Array.from({ length: 100 }, async () => {
      const res = await fetch(`${site.url}/boom/`);
      await res.text();
      return res.status;
    }),
  );
  t.same(new Set(statuses), new Set([500]));
  t.equal(await flushLogging({ timeoutMs: 20_000 }), true);
  t.ok(smtp.messages.length <= 2, 'at most two mails');
  t.same(
    smtp.messages.map((m) => m.subject),
    ['[Reinhardt] ERROR (EXTERNAL IP): Internal Server Error: /boom/', '[Reinhardt] ERROR (EXTERNAL IP): Internal Server Error: /boom/ (99 more times in 60 s)'],
    'the first at once, then the digest when the window closed (here: at the flush)',
  );
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; msg: string; status_code: number });
  t.equal(records.length, 100, 'every request is in the log');
  t.ok(records.every((r) => r.level === 'ERROR' && r.msg === 'Internal Server Error: /boom/' && r.status_code === 500));
  t.notMatch(readFileSync(file, 'utf8'), KEY);
});

t.test("DisallowedHost: mailed by default; LOGGING that sends it to 'null' silences it, the client still gets 400", async (t) => {
  const smtp = await startSmtp(t);
  const loud = await boot(t, smtp.port);
  const res = await rawGet(loud.url, '/', { Host: 'evil.example' });
  t.equal(res.status, 400);
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  t.equal(smtp.messages.length, 1, 'the default configuration mails ADMINS');
  t.match(smtp.messages[0]!.subject, /^\[Reinhardt\] ERROR \(EXTERNAL IP\): Invalid HTTP_HOST header: 'evil\.example'/);

  const quiet = await boot(t, smtp.port, `LOGGING: { loggers: { 'reinhardt.security.DisallowedHost': { handlers: ['null'], propagate: false } } },`);
  const refused = await rawGet(quiet.url, '/', { Host: 'evil.example' });
  t.equal(refused.status, 400);
  const home = await rawGet(quiet.url, '/', { Host: '127.0.0.1' });
  t.equal(home.status, 200);
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  t.equal(smtp.messages.length, 1, 'no new mail');
});
