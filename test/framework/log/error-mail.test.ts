/**
 * The mail-admins handler against a real SMTP server on 127.0.0.1: Django's subject and body,
 * secrets kept out, mail sent off the caller's path, storms grouped into a digest, a dead or
 * stalled server, the bounded queue, and the ways mail is switched off.
 */
import Fastify from 'fastify';
import t from 'tap';
import { MASK } from '../../../framework/src/conf/mask.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { HttpRequest } from '../../../framework/src/http/request.js';
import { configureLogging, flushLogging } from '../../../framework/src/log/configure.js';
import { MAX_QUEUED_MAIL } from '../../../framework/src/log/deferred-mail.js';
import { getLogger } from '../../../framework/src/log/logger.js';
import { clearOutbox, LocmemEmailBackend, outbox } from '../../../framework/src/mail/backends/locmem.js';
import type { EmailMessage } from '../../../framework/src/mail/message.js';
import { CaptureHandler, recordsOf, SECRET_KEY, settingsWith, useLogging } from './fixtures/capture.js';
import { closedPort, header, startSmtp, until } from './fixtures/smtp.js';

const ADMINS = [['Ops', 'ops@example.com'], 'Dev Lead <lead@example.com>'];

function mailSettings(port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    DEBUG: false,
    ADMINS,
    EMAIL_BACKEND: 'smtp',
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: port,
    EMAIL_TIMEOUT: 5,
    EMAIL_HOST_PASSWORD: 'smtp-password-never-shown',
    SERVER_EMAIL: 'server@coffeehouse.test',
    ...extra,
  };
}

/** Log `fn(request)` inside a real Fastify request, so records carry a real HttpRequest. */
async function withRequest(settings: LoadedSettings, url: string, remoteAddress: string, fn: (request: HttpRequest) => void): Promise<void> {
  const app = Fastify();
  app.all('/*', async (req) => {
    fn(new HttpRequest(req, settings));
    return 'ok';
  });
  await app.inject({ method: 'GET', url, remoteAddress, headers: { 'user-agent': 'probe/1.0', cookie: 'sessionid=abc123' } });
  await app.close();
}

function failOrders(): Error {
  return new Error(`Database password rejected for ${SECRET_KEY}`);
}

t.test('a record with a request: Django subject, EXTERNAL or internal IP, traceback and request in the body', async (t) => {
  const smtp = await startSmtp(t);
  const { settings } = await useLogging(t, mailSettings(smtp.port, { INTERNAL_IPS: ['127.0.0.1'] }));
  await withRequest(settings, '/orders/12/?page=2', '203.0.113.9', (request) => {
    getLogger('reinhardt.request').error('Internal Server Error: /orders/12/', { status_code: 500, request, err: failOrders() });
  });
  t.equal(smtp.connections, 0, 'nothing was sent while the request was running');
  await withRequest(settings, '/orders/13/', '127.0.0.1', (request) => {
    getLogger('reinhardt.request').error('Internal Server Error: /orders/13/', { status_code: 500, request, err: new RangeError('other place') });
  });
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);

  t.equal(smtp.messages.length, 2);
  const [external, internal] = smtp.messages;
  t.equal(external!.subject, '[Reinhardt] ERROR (EXTERNAL IP): Internal Server Error: /orders/12/');
  t.equal(internal!.subject, '[Reinhardt] ERROR (internal IP): Internal Server Error: /orders/13/');
  t.equal(external!.from, 'server@coffeehouse.test', 'from SERVER_EMAIL');
  t.same(external!.to.sort(), ['lead@example.com', 'ops@example.com']);
  const body = external!.text;
  t.match(body, /^Internal Server Error: \/orders\/12\/\n\n/, 'the message first, as Django');
  t.match(body, /Traceback \(most recent call last\):/);
  t.match(body, /failOrders/, 'the frame where the error was made');
  t.match(body, /\/orders\/12\//);
  t.match(body, /probe\/1\.0/, 'the request headers');
  t.notMatch(body, SECRET_KEY, 'the secret value is redacted from the message and the settings');
  t.notMatch(body, 'smtp-password-never-shown');
  t.notMatch(body, 'abc123', 'cookies are masked');
  t.match(body, MASK);
  t.notMatch(external!.raw, /text\/html/, 'no HTML unless include_html');
});

t.test('a record without a request: "LEVEL: message", newlines escaped, subject cut to 989 characters', async (t) => {
  const smtp = await startSmtp(t);
  await useLogging(t, mailSettings(smtp.port, { EMAIL_SUBJECT_PREFIX: '[Coffee] ' }));
  getLogger('reinhardt.template').critical('Template cache broken\r\nBcc: victim@example.com');
  getLogger('coffeehouse').error(`Long ${'x'.repeat(2000)}`);
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  // A logger outside 'reinhardt' has no mail handler by default.
  t.equal(smtp.messages.length, 1);
  const [mail] = smtp.messages;
  t.equal(mail!.subject, '[Coffee] CRITICAL: Template cache broken\\r\\nBcc: victim@example.com');
  t.equal(header(mail!.raw, 'Bcc'), undefined, 'the newline did not become a header');
  t.same(mail!.to.sort(), ['lead@example.com', 'ops@example.com'], 'no extra recipient');
  t.match(mail!.text, /Template cache broken\r?\nBcc: victim@example\.com\n\nLoggedMessage/, 'the body keeps the message as it was');

  await useLogging(t, mailSettings(smtp.port, { LOGGING: { root: { handlers: ['mail_admins'] } } }));
  getLogger('coffeehouse').error(`Long ${'x'.repeat(2000)}`);
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  const subject = smtp.messages[1]!.subject;
  t.equal(subject.length, '[Reinhardt] '.length + 989, 'cut like Django: 989 characters after the prefix');
  t.match(subject, /^\[Reinhardt\] ERROR: Long x+$/);
});

t.test('include_html attaches the HTML report', async (t) => {
  const smtp = await startSmtp(t);
  await useLogging(t, mailSettings(smtp.port, { LOGGING: { handlers: { mail_admins: { class: 'mail-admins', level: 'ERROR', include_html: true } } } }));
  getLogger('reinhardt.request').error('Internal Server Error: /', { err: failOrders() });
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  const raw = smtp.messages[0]!.raw;
  t.match(header(raw, 'Content-Type'), /^multipart\/alternative/);
  t.match(raw, /Content-Type: text\/html/);
  t.notMatch(raw, SECRET_KEY);
});

t.test('a storm of one error: the first mail at once, then one digest with the count; every record still logged', async (t) => {
  const smtp = await startSmtp(t);
  await useLogging(t, mailSettings(smtp.port, { LOGGING: { handlers: { every: { class: CaptureHandler } }, loggers: { 'reinhardt.request': { handlers: ['every'] } } } }));
  const log = getLogger('reinhardt.request');
  for (let i = 0; i < 100; i++) log.error(`Internal Server Error: /orders/${i}/`, { status_code: 500, err: failOrders() });
  log.error('Internal Server Error: /menu/', { status_code: 500, err: new TypeError('menu is gone') });

  await until(() => smtp.messages.length === 2, 'the two first mails');
  t.same(smtp.messages.map((m) => m.subject).sort(), [
    '[Reinhardt] ERROR: Internal Server Error: /menu/',
    '[Reinhardt] ERROR: Internal Server Error: /orders/0/',
  ], 'one mail per distinct error, right away');
  t.equal(recordsOf('every').length, 101, 'every occurrence went to the other handlers');

  t.equal(await flushLogging({ timeoutMs: 10_000 }), true, 'flushing ends the window: the digest leaves');
  t.equal(smtp.messages.length, 3);
  const digest = smtp.messages[2]!;
  t.equal(digest.subject, '[Reinhardt] ERROR: Internal Server Error: /orders/99/ (99 more times in 60 s)');
  t.match(digest.text, /^The error below happened 99 more times in the 60 seconds after the mail about its first occurrence/);
  t.match(digest.text, /Internal Server Error: \/orders\/99\/\n\n/, 'then the last occurrence in full');
  t.notMatch(digest.text, SECRET_KEY);

  log.error('Internal Server Error: /orders/100/', { err: failOrders() });
  await until(() => smtp.messages.length === 4, 'a new window after the digest');
  t.equal(smtp.messages[3]!.subject, '[Reinhardt] ERROR: Internal Server Error: /orders/100/');
});

t.test('storm_window: 0 mails every occurrence', async (t) => {
  const smtp = await startSmtp(t);
  await useLogging(t, mailSettings(smtp.port, { LOGGING: { handlers: { mail_admins: { class: 'mail-admins', storm_window: 0 } } } }));
  for (let i = 0; i < 3; i++) getLogger('reinhardt').error('same again');
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  t.equal(smtp.messages.length, 3);
  await t.rejects(configureLogging(settingsWith({ LOGGING: { handlers: { mail_admins: { class: 'mail-admins', storm_window: '1m' } } } })), {
    message: /handler 'mail_admins': storm_window must be a number of seconds/,
  });
});

t.test('a dead mail server: the caller is never affected, the failure is logged once on reinhardt.mail and never mailed', async (t) => {
  const port = await closedPort();
  // Even a configuration that sends mail failures to mail_admins cannot make mail about mail.
  const { out } = await useLogging(t, mailSettings(port, { LOGGING: { loggers: { 'reinhardt.mail': { handlers: ['reinhardt.mail', 'mail_admins'] } } } }));
  t.doesNotThrow(() => getLogger('reinhardt.request').error('Internal Server Error: /', { err: failOrders() }));
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  const failures = out.json().filter((l) => l.name === 'reinhardt.mail');
  t.equal(failures.length, 1, 'one record for one failed mail');
  t.match(failures[0], {
    level: 'ERROR',
    msg: /^Error mail to ADMINS \(subject "\[Reinhardt\] ERROR: Internal Server Error: \/"\) could not be sent: .*127\.0\.0\.1/,
    err: { type: 'MailSendError' },
  });
  t.notMatch(out.text, 'smtp-password-never-shown');
});

t.test('a stalled mail server: logging returns at once; flushLogging gives up at its deadline; the mail leaves when the server does', async (t) => {
  const smtp = await startSmtp(t);
  smtp.stall();
  await useLogging(t, mailSettings(smtp.port));
  getLogger('reinhardt.request').error('Internal Server Error: /slow/', { err: failOrders() });
  t.equal(smtp.connections, 0, 'the record was handled without touching the network');
  await until(() => smtp.connections === 1, 'the mail reaching the server');
  t.equal(await flushLogging({ timeoutMs: 200 }), false, 'bounded: the flush reports that mail is still waiting');
  smtp.release();
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  t.equal(smtp.messages.length, 1);
});

t.test('the queue is bounded: past it, mail is dropped and that is logged once', async (t) => {
  // The locmem backend, held at the door until released: a mail server that stopped answering,
  // without the test paying for two hundred SMTP sessions.
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  class HeldBackend extends LocmemEmailBackend {
    override async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
      await gate;
      return super.sendMessages(messages);
    }
  }
  clearOutbox();
  t.teardown(clearOutbox);
  const { out } = await useLogging(t, {
    DEBUG: false,
    ADMINS,
    LOGGING: { handlers: { mail_admins: { class: 'mail-admins', storm_window: 0, email_backend: HeldBackend } } },
  });
  const extra = 5;
  for (let i = 0; i <= MAX_QUEUED_MAIL + extra; i++) getLogger('reinhardt').error(`error ${i}`);
  await new Promise((resolve) => setImmediate(resolve));
  getLogger('reinhardt').error('one more while the queue is still full');
  const drops = out.json().filter((l) => l.name === 'reinhardt.mail');
  t.equal(drops.length, 1, 'one record for the whole overflow');
  t.match(drops[0]!.msg, `${MAX_QUEUED_MAIL} mails are waiting to be sent`);
  open();
  t.equal(await flushLogging({ timeoutMs: 30_000 }), true);
  t.equal(outbox.length, MAX_QUEUED_MAIL + 1, 'the queue and the one being sent when it filled: all sent');
  getLogger('reinhardt').error('after the queue emptied');
  t.equal(await flushLogging({ timeoutMs: 30_000 }), true);
  t.equal(outbox.length, MAX_QUEUED_MAIL + 2, 'room again');
});

t.test('switched off: DEBUG on, no ADMINS, or the handler replaced; email_backend picks another backend', async (t) => {
  const smtp = await startSmtp(t);
  await useLogging(t, mailSettings(smtp.port, { DEBUG: true }));
  getLogger('reinhardt.request').error('Internal Server Error: /debug/');
  await useLogging(t, mailSettings(smtp.port, { ADMINS: [] }));
  t.notOk(getLogger('reinhardt.request').isEnabledFor('ERROR'), 'no ADMINS: nothing even makes the record');
  await useLogging(t, mailSettings(smtp.port, { LOGGING: { handlers: { mail_admins: { class: 'null' } } } }));
  getLogger('reinhardt.request').error('Internal Server Error: /nulled/');
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  t.equal(smtp.messages.length, 0);

  clearOutbox();
  t.teardown(clearOutbox);
  await useLogging(t, mailSettings(smtp.port, { LOGGING: { handlers: { mail_admins: { class: 'mail-admins', email_backend: 'locmem' } } } }));
  getLogger('reinhardt.request').error('Internal Server Error: /locmem/');
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  t.equal(smtp.messages.length, 0, 'not through EMAIL_BACKEND');
  t.equal(outbox.length, 1);
  t.equal(outbox[0]!.subject, '[Reinhardt] ERROR: Internal Server Error: /locmem/');

  await t.rejects(configureLogging(settingsWith({ LOGGING: { handlers: { mail_admins: { class: 'mail-admins', email_backend: 'carrier-pigeon' } } } })), {
    code: 'RH_ERR_UNKNOWN_COMPONENT',
    message: /'carrier-pigeon' is not a known email backend/,
  });
});
