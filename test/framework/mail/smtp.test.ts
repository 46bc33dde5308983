/**
 * Mail over a real SMTP server on 127.0.0.1: what arrives (envelope and text), header injection
 * refused before any connection, connection reuse, and a server that is down or never greets.
 */
import t from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { BadHeaderError, ImproperlyConfigured, MailSendError } from '../../../framework/src/errors.js';
import {
  EmailMessage,
  getConnection,
  mailAdmins,
  mailManagers,
  sendMail,
  sendMassMail,
} from '../../../framework/src/mail/index.js';
import { closedPort, header, startSilentServer, startSmtpServer, until } from './fixtures/smtp-server.js';

function smtpSettings(port: number, extra: Record<string, unknown> = {}): LoadedSettings {
  return configureSettings({
    EMAIL_BACKEND: 'smtp',
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: port,
    EMAIL_TIMEOUT: 5,
    DEFAULT_FROM_EMAIL: 'site@coffeehouse.test',
    SERVER_EMAIL: 'server@coffeehouse.test',
    ...extra,
  });
}

t.test('plain message: cc, bcc, reply-to and extra headers; bcc is in the envelope only', async (t) => {
  const server = await startSmtpServer(t);
  const settings = smtpSettings(server.port);
  const mail = new EmailMessage({
    subject: 'Your order',
    body: 'Two flat whites.',
    to: ['ann@example.com', { name: 'Doe, Bob', address: 'bob@example.com' }],
    cc: ['cat@example.com'],
    bcc: ['dan@example.com'],
    replyTo: ['orders@coffeehouse.test'],
    headers: { 'X-Order': '42' },
    settings,
  });
  t.same(mail.recipients(), ['ann@example.com', { name: 'Doe, Bob', address: 'bob@example.com' }, 'cat@example.com', 'dan@example.com']);
  t.equal(await mail.send(), 1);

  t.equal(server.messages.length, 1);
  const [got] = server.messages;
  t.equal(got!.from, 'site@coffeehouse.test', 'from defaults to DEFAULT_FROM_EMAIL');
  t.same(got!.to.sort(), ['ann@example.com', 'bob@example.com', 'cat@example.com', 'dan@example.com']);
  t.equal(header(got!.raw, 'Subject'), 'Your order');
  t.equal(header(got!.raw, 'From'), 'site@coffeehouse.test');
  t.equal(header(got!.raw, 'To'), 'ann@example.com, "Doe, Bob" <bob@example.com>');
  t.equal(header(got!.raw, 'Cc'), 'cat@example.com');
  t.equal(header(got!.raw, 'Reply-To'), 'orders@coffeehouse.test');
  t.equal(header(got!.raw, 'X-Order'), '42');
  t.ok(header(got!.raw, 'Date'), 'has a Date');
  t.match(header(got!.raw, 'Message-ID'), /^<.+@.+>$/);
  t.equal(header(got!.raw, 'Bcc'), undefined, 'no Bcc header');
  t.notMatch(got!.raw, /dan@example\.com/, 'the bcc address appears nowhere in the text');
  t.match(got!.raw, /Two flat whites\./);
});

t.test('HTML alternative and attachment: multipart/mixed around multipart/alternative', async (t) => {
  const server = await startSmtpServer(t);
  const settings = smtpSettings(server.port);
  const mail = new EmailMessage({ subject: 'Menu', body: 'Plain menu', from: 'Café <cafe@coffeehouse.test>', to: ['ann@example.com'], settings });
  mail.attachAlternative('<h1>Menu</h1>', 'text/html');
  mail.attach('menu.pdf', Buffer.from('%PDF-1.4 fake'), 'application/pdf');
  mail.attach('prices.csv', 'drink,price\nlatte,3\n', 'text/csv');
  t.equal(await mail.send(), 1);

  const raw = server.messages[0]!.raw;
  t.match(header(raw, 'Content-Type'), /^multipart\/mixed; boundary=/);
  t.match(header(raw, 'From'), /^=\?UTF-8\?[QB]\?.+\?= <cafe@coffeehouse\.test>$/, 'a non-ASCII name is encoded');
  const mixed = /boundary="([^"]+)"/.exec(header(raw, 'Content-Type')!)![1]!;
  const parts = raw.split(`--${mixed}`).slice(1, -1);
  t.equal(parts.length, 3, 'body (alternative) + two attachments');
  t.match(parts[0], /Content-Type: multipart\/alternative/);
  t.match(parts[0], /Content-Type: text\/plain[^]*Plain menu[^]*Content-Type: text\/html; charset=utf-8[^]*<h1>Menu<\/h1>/);
  t.match(parts[1], /Content-Type: application\/pdf; name=menu\.pdf/);
  t.match(parts[1], /Content-Disposition: attachment; filename=menu\.pdf/);
  const pdf = parts[1]!.split(/\r\n\r\n/)[1]!.replace(/\s+/g, '');
  t.equal(Buffer.from(pdf, 'base64').toString(), '%PDF-1.4 fake');
  t.match(parts[2], /Content-Type: text\/csv; charset=utf-8; name=prices\.csv/);
});

t.test('sendMail with html, and sendMassMail over one connection', async (t) => {
  const server = await startSmtpServer(t);
  const settings = smtpSettings(server.port);
  t.equal(await sendMail('Hi', 'Plain', null, ['ann@example.com'], { html: '<b>Bold</b>', settings }), 1);
  t.match(header(server.messages[0]!.raw, 'Content-Type'), /^multipart\/alternative/);
  t.equal(await sendMail('Nobody', 'x', null, [], { settings }), 0, 'no recipients: nothing sent');

  const before = server.connections;
  const n = await sendMassMail(
    [
      ['One', 'first', null, ['a@example.com']],
      ['Two', 'second', 'other@coffeehouse.test', ['b@example.com', 'c@example.com']],
    ],
    { settings },
  );
  t.equal(n, 2);
  t.equal(server.connections - before, 1, 'both on one connection');
  t.same(server.messages.slice(1).map((m) => [m.from, m.to]), [
    ['site@coffeehouse.test', ['a@example.com']],
    ['other@coffeehouse.test', ['b@example.com', 'c@example.com']],
  ]);
});

t.test('mailAdmins and mailManagers: prefix, SERVER_EMAIL, both ADMINS formats', async (t) => {
  const server = await startSmtpServer(t);
  const settings = smtpSettings(server.port, {
    ADMINS: [['Ann Admin', 'ann@example.com'], 'Bob Admin <bob@example.com>', 'root@example.com'],
    MANAGERS: ['"Doe, Mel" <mel@example.com>'],
    EMAIL_SUBJECT_PREFIX: '[Coffeehouse] ',
  });
  t.equal(await mailAdmins('Server on fire', 'Details', { settings, html: '<p>Details</p>' }), 1);
  t.equal(await mailManagers('Broken link', 'On /menu/', { settings }), 1);

  const [admins, managers] = server.messages;
  t.equal(admins!.from, 'server@coffeehouse.test');
  t.same(admins!.to, ['ann@example.com', 'bob@example.com', 'root@example.com']);
  t.equal(header(admins!.raw, 'Subject'), '[Coffeehouse] Server on fire');
  t.equal(header(admins!.raw, 'To'), 'Ann Admin <ann@example.com>, Bob Admin <bob@example.com>, root@example.com');
  t.match(header(admins!.raw, 'Content-Type'), /^multipart\/alternative/);
  t.same(managers!.to, ['mel@example.com']);
  t.equal(header(managers!.raw, 'To'), '"Doe, Mel" <mel@example.com>');
  t.equal(header(managers!.raw, 'Subject'), '[Coffeehouse] Broken link');
});

t.test('the default prefix is [Reinhardt]; empty ADMINS/MANAGERS send nothing', async (t) => {
  const server = await startSmtpServer(t);
  t.equal(await mailAdmins('Quiet', 'x', { settings: smtpSettings(server.port) }), 0);
  t.equal(await mailManagers('Quiet', 'x', { settings: smtpSettings(server.port) }), 0);
  t.equal(server.connections, 0, 'no connection was even opened');
  t.equal(await mailAdmins('Loud', 'x', { settings: smtpSettings(server.port, { ADMINS: ['a@example.com'] }) }), 1);
  t.equal(header(server.messages[0]!.raw, 'Subject'), '[Reinhardt] Loud');
});

t.test('header injection is refused with BadHeaderError and nothing reaches the server', async (t) => {
  const server = await startSmtpServer(t);
  const settings = smtpSettings(server.port, { ADMINS: [['Ann\r\nBcc: x@evil.com', 'ann@example.com']] });
  const attempts: [string, string, () => Promise<unknown>][] = [
    ['Subject', 'subject', () => sendMail('Hello\r\nBcc: x@evil.com', 'body', null, ['ann@example.com'], { settings })],
    ['Subject', 'subject (LF only)', () => sendMail('Hello\nBcc: x@evil.com', 'body', null, ['ann@example.com'], { settings })],
    ['To', 'to address', () => sendMail('Hi', 'body', null, ['ann@example.com\r\nBcc: x@evil.com'], { settings })],
    ['To', 'name in ADMINS', () => mailAdmins('Hi', 'body', { settings })],
    ['From', 'from', () => sendMail('Hi', 'body', 'me@example.com\nBcc: x@evil.com', ['ann@example.com'], { settings })],
    [
      'X-Note',
      'extra header value',
      () => new EmailMessage({ subject: 'Hi', body: 'b', to: ['ann@example.com'], headers: { 'X-Note': 'a\r\nBcc: x@evil.com' }, settings }).send(),
    ],
    [
      'X-Note\\r\\nBcc',
      'extra header name',
      () => new EmailMessage({ subject: 'Hi', body: 'b', to: ['ann@example.com'], headers: { 'X-Note\r\nBcc': 'x@evil.com' }, settings }).send(),
    ],
    [
      'Reply-To',
      'reply-to name',
      () =>
        new EmailMessage({ subject: 'Hi', body: 'b', to: ['ann@example.com'], replyTo: [{ name: 'A\nB', address: 'r@example.com' }], settings }).send(),
    ],
    ['Bcc', 'bcc', () => new EmailMessage({ subject: 'Hi', body: 'b', bcc: ['x@example.com\r\n'], settings }).send()],
    [
      'Subject',
      'one bad message in a mass mailing',
      () =>
        sendMassMail(
          [
            ['Fine', 'b', null, ['ann@example.com']],
            ['Bad\r\nBcc: x@evil.com', 'b', null, ['ann@example.com']],
          ],
          { settings },
        ),
    ],
  ];
  for (const [headerName, what, attempt] of attempts) {
    const err = await attempt().then(
      () => undefined,
      (e: unknown) => e,
    );
    t.type(err, BadHeaderError, what);
    t.equal((err as BadHeaderError).header, headerName, `${what}: names the header`);
    t.equal((err as BadHeaderError).code, 'RH_ERR_BAD_HEADER');
    t.match((err as Error).message, /Header values can't contain newlines/);
  }
  // Also through an open connection, and through message().
  const connection = getConnection(settings);
  await connection.open();
  const bad = new EmailMessage({ subject: 'a\rb', body: '', to: ['ann@example.com'], connection });
  await t.rejects(connection.sendMessages([bad]), BadHeaderError);
  await t.rejects(bad.message(), BadHeaderError);
  await connection.close();

  t.equal(server.connections, 0, 'no connection was opened');
  t.equal(server.messages.length, 0, 'nothing was received');
});

t.test('connection reuse: an opened connection carries every message until close()', async (t) => {
  const server = await startSmtpServer(t);
  const settings = smtpSettings(server.port);
  const connection = getConnection(settings);
  t.equal(await connection.open(), true);
  t.equal(await connection.open(), false, 'already open');
  for (let i = 1; i <= 3; i++) {
    t.equal(await sendMail(`Message ${i}`, 'x', null, [`u${i}@example.com`], { connection }), 1);
  }
  const mails = [1, 2].map((i) => new EmailMessage({ subject: `Batch ${i}`, body: 'x', to: ['v@example.com'], connection }));
  t.equal(await connection.sendMessages(mails), 2);
  await connection.close();
  t.equal(server.messages.length, 5);
  t.equal(server.connections, 1, 'five messages, one connection');

  // Without open(), each send opens and closes its own connection.
  await sendMail('Alone', 'x', null, ['w@example.com'], { settings });
  t.equal(server.connections, 2);
});

t.test('login with EMAIL_HOST_USER and EMAIL_HOST_PASSWORD; a wrong password is EAUTH', async (t) => {
  const server = await startSmtpServer(t, { authOptional: false, allowInsecureAuth: true });
  const good = smtpSettings(server.port, { EMAIL_HOST_USER: 'mailer', EMAIL_HOST_PASSWORD: 's3cret' });
  t.equal(await sendMail('Auth', 'x', null, ['a@example.com'], { settings: good }), 1);
  t.same(server.logins, ['mailer']);

  const bad = smtpSettings(server.port, { EMAIL_HOST_USER: 'mailer', EMAIL_HOST_PASSWORD: 'wrong-pass' });
  const err = await sendMail('Auth', 'x', null, ['a@example.com'], { settings: bad }).catch((e: unknown) => e);
  t.type(err, MailSendError);
  t.match((err as Error).message, /EAUTH[^]*EMAIL_HOST_USER and EMAIL_HOST_PASSWORD/);
  t.notMatch((err as Error).message, /wrong-pass/, 'the password is never in the message');
  t.notMatch(JSON.stringify({ ...getConnection(bad), settings: null }), /wrong-pass/, 'nor in the backend\'s own fields');
  t.equal(server.messages.length, 1);
});

t.test('a server that is down: MailSendError at once, or 0 with failSilently', async (t) => {
  const port = await closedPort();
  const settings = smtpSettings(port);
  const err = await sendMail('Down', 'x', null, ['a@example.com'], { settings }).catch((e: unknown) => e);
  t.type(err, MailSendError);
  t.equal((err as MailSendError).code, 'RH_ERR_MAIL_SEND');
  t.match((err as Error).message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  t.match((err as Error).message, /ECONNREFUSED|ESOCKET/);
  t.match((err as Error).message, /EMAIL_HOST and EMAIL_PORT/);
  t.match((err as { cause?: { code?: string } }).cause?.code, /ESOCKET|ECONNECTION/);

  t.equal(await sendMail('Down', 'x', null, ['a@example.com'], { settings, failSilently: true }), 0);
  t.equal(await mailAdmins('Down', 'x', { settings: smtpSettings(port, { ADMINS: ['a@example.com'] }), failSilently: true }), 0);
  const connection = getConnection(settings, { failSilently: true });
  const many = [1, 2, 3].map((i) => new EmailMessage({ subject: `M${i}`, body: 'x', to: ['a@example.com'], connection }));
  t.equal(await connection.sendMessages(many), 0, 'a batch stops at the first connection failure');
  await t.rejects(
    sendMail('x', 'y', null, ['a@example.com'], { connection, failSilently: true }),
    TypeError,
    'failSilently and a connection together are refused, as in Django',
  );
});

t.test('a server that accepts TCP and never greets: a timeout error after EMAIL_TIMEOUT', async (t) => {
  const silent = await startSilentServer(t);
  const settings = smtpSettings(silent.port, { EMAIL_TIMEOUT: 1 });
  const err = await sendMail('Stalled', 'x', null, ['a@example.com'], { settings }).catch((e: unknown) => e);
  t.type(err, MailSendError);
  t.match((err as Error).message, /ETIMEDOUT/);
  t.match((err as Error).message, /EMAIL_TIMEOUT \(1 s\)/);
  t.equal((err as { cause?: { code?: string } }).cause?.code, 'ETIMEDOUT');
  t.equal(silent.accepted(), 1);
  t.equal(await sendMail('Stalled', 'x', null, ['a@example.com'], { settings, failSilently: true }), 0);
});

t.test('EMAIL_USE_TLS requires STARTTLS: a server without it gets nothing', async (t) => {
  const server = await startSmtpServer(t);
  const settings = smtpSettings(server.port, { EMAIL_USE_TLS: true });
  const err = await sendMail('Secret', 'x', null, ['a@example.com'], { settings }).catch((e: unknown) => e);
  t.type(err, MailSendError);
  t.match((err as Error).message, /STARTTLS|TLS/);
  t.equal(server.messages.length, 0);
});

t.test('EMAIL_USE_TLS and EMAIL_USE_SSL together are refused with Django\'s message', async (t) => {
  // Settings validation refuses the pair at boot; the backend refuses it when options combine them.
  t.throws(() => smtpSettings(25, { EMAIL_USE_TLS: true, EMAIL_USE_SSL: true }), /mutually exclusive/);
  const settings = smtpSettings(25, { EMAIL_USE_TLS: true });
  const message = 'EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set one of those settings to True.';
  t.throws(() => getConnection(settings, { useSsl: true }), { constructor: ImproperlyConfigured, message });
  t.throws(() => getConnection(smtpSettings(25), { useSsl: true, useTls: true }), { constructor: ImproperlyConfigured, message });
});

t.test('an unreadable EMAIL_SSL_CERTFILE is named when the connection opens', async (t) => {
  const server = await startSmtpServer(t);
  const settings = smtpSettings(server.port, { EMAIL_USE_SSL: true, EMAIL_SSL_CERTFILE: '/nonexistent/client.pem' });
  await t.rejects(getConnection(settings).open(), { constructor: ImproperlyConfigured, message: /EMAIL_SSL_CERTFILE: cannot read \/nonexistent\/client\.pem/ });
  t.equal(server.connections, 0);
});
