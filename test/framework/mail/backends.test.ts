/**
 * The local backends (console, filebased, locmem, dummy), choosing a backend by name or by
 * reference, and EmailMessage's own API (recipients, message(), attachments).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t, { type Test } from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import { activateSettings } from '../../../framework/src/conf/settings-registry.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { BadHeaderError, ImproperlyConfigured } from '../../../framework/src/errors.js';
import {
  BaseEmailBackend,
  ConsoleEmailBackend,
  EmailMessage,
  type EmailBackend,
  clearOutbox,
  emailBackendNames,
  getConnection,
  mailAdmins,
  outbox,
  registerEmailBackend,
  sendMail,
  sendMassMail,
} from '../../../framework/src/mail/index.js';

function settingsWith(extra: Record<string, unknown> = {}): LoadedSettings {
  return configureSettings({ DEFAULT_FROM_EMAIL: 'site@coffeehouse.test', ...extra });
}

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-mail-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

const SEPARATOR = '-'.repeat(79);

t.test('console: the RFC 5322 text, then 79 dashes, per message', async (t) => {
  const stream = new PassThrough();
  const read = collect(stream);
  const settings = settingsWith({ EMAIL_BACKEND: 'console' });
  const connection = getConnection(settings, { stream });
  t.type(connection, ConsoleEmailBackend);
  const n = await sendMassMail(
    [
      ['First', 'Hello one', null, ['a@example.com']],
      ['Second', 'Hello two', null, ['b@example.com']],
    ],
    { connection },
  );
  t.equal(n, 2);
  const text = read();
  const blocks = text.split(`\n${SEPARATOR}\n`);
  t.equal(blocks.length, 3, 'two messages, each closed by the separator');
  t.equal(blocks[2], '');
  t.match(blocks[0], /^(?:[\w-]+: .*\n)*Subject: First\n/m);
  t.match(blocks[0], /From: site@coffeehouse\.test\n/);
  t.match(blocks[0], /\n\nHello one\n?$/);
  t.notMatch(text, /\r/, 'LF line ends, as Django prints');
  t.match(blocks[1], /Subject: Second/);
  t.equal(await connection.sendMessages([]), 0);
});

t.test('console writes to stdout by default; failures of the stream are MailSendError unless failSilently', async (t) => {
  const settings = settingsWith({ EMAIL_BACKEND: 'console' });
  t.equal((getConnection(settings) as ConsoleEmailBackend).stream, process.stdout);
  const broken = new PassThrough();
  broken.write = () => {
    throw new Error('disk full');
  };
  const mail = () => new EmailMessage({ subject: 's', body: 'b', to: ['a@example.com'], settings });
  await t.rejects(getConnection(settings, { stream: broken }).sendMessages([mail()]), {
    name: 'MailSendError',
    message: /'console' email backend failed to send a message: disk full/,
  });
  t.equal(await getConnection(settings, { stream: broken, failSilently: true }).sendMessages([mail()]), 0);
});

t.test('filebased: one timestamped .log file per message; the folder is created', async (t) => {
  const dir = join(tempDir(t), 'sent', 'mail');
  const settings = settingsWith({ EMAIL_BACKEND: 'filebased', EMAIL_FILE_PATH: dir });
  t.equal(await sendMail('One', 'first body', null, ['a@example.com'], { settings }), 1);
  const connection = getConnection(settings);
  const batch = [1, 2].map((i) => new EmailMessage({ subject: `Batch ${i}`, body: 'x', to: ['b@example.com'], connection }));
  t.equal(await connection.sendMessages(batch), 2);

  const files = readdirSync(dir).sort();
  t.equal(files.length, 3);
  for (const f of files) t.match(f, /^\d{8}-\d{6}-[0-9a-f]+\.log$/);
  const contents = files.map((f) => readFileSync(join(dir, f), 'utf8'));
  t.ok(contents.some((c) => /Subject: One\n/.test(c) && /first body/.test(c)));
  for (const c of contents) t.ok(c.endsWith(`\n${SEPARATOR}\n`), 'each file ends with the separator');
});

t.test('filebased: a path that is a file, one that cannot be created, or none at all', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'not-a-folder');
  writeFileSync(file, 'x');
  t.throws(() => getConnection(settingsWith({ EMAIL_BACKEND: 'filebased', EMAIL_FILE_PATH: file })), {
    constructor: ImproperlyConfigured,
    message: new RegExp(`exists, but is not a directory: ${file}`),
  });
  t.throws(() => getConnection(settingsWith({ EMAIL_BACKEND: 'filebased', EMAIL_FILE_PATH: join(file, 'below') })), {
    constructor: ImproperlyConfigured,
    message: /Could not create directory for saving email messages/,
  });
  t.throws(() => getConnection(settingsWith({ EMAIL_BACKEND: 'filebased' })), {
    constructor: ImproperlyConfigured,
    message: /EMAIL_FILE_PATH is not set/,
  });
  t.equal(readdirSync(dir).length, 1, 'nothing else was written');
});

t.test('locmem: the outbox holds the EmailMessage objects; clearOutbox empties it in place', async (t) => {
  clearOutbox();
  t.teardown(clearOutbox);
  const settings = settingsWith({ EMAIL_BACKEND: 'locmem', ADMINS: [['Ann', 'ann@example.com']] });
  const sameArray = outbox;
  t.equal(await sendMail('Hello', 'Body', null, ['a@example.com'], { settings }), 1);
  t.equal(await mailAdmins('Alert', 'Bad thing', { settings }), 1);
  t.equal(outbox.length, 2);
  t.type(outbox[0], EmailMessage);
  t.equal(outbox[0]!.subject, 'Hello');
  t.same(outbox[0]!.to, ['a@example.com']);
  t.equal(outbox[0]!.from, 'site@coffeehouse.test');
  t.equal(outbox[1]!.subject, '[Reinhardt] Alert');
  t.same(outbox[1]!.to, [{ name: 'Ann', address: 'ann@example.com' }]);
  t.equal(outbox[1]!.from, 'root@localhost', 'SERVER_EMAIL default');
  await t.rejects(sendMail('Bad\nsubject', 'x', null, ['a@example.com'], { settings }), BadHeaderError);
  t.equal(outbox.length, 2, 'a refused message is not in the outbox');
  clearOutbox();
  t.equal(outbox.length, 0);
  t.equal(outbox, sameArray, 'the same array, so imports stay live');
});

t.test('dummy: counts and discards, but still refuses injected headers', async (t) => {
  const settings = settingsWith({ EMAIL_BACKEND: 'dummy' });
  const connection = getConnection(settings);
  const mails = [1, 2, 3].map((i) => new EmailMessage({ subject: `M${i}`, body: 'x', to: ['a@example.com'], connection }));
  t.equal(await connection.sendMessages(mails), 3);
  t.equal(await connection.open(), false);
  await connection.close();
  await t.rejects(connection.sendMessages([new EmailMessage({ subject: 'a\r\nb', body: '', to: ['a@example.com'] , settings })]), BadHeaderError);
});

t.test('EMAIL_BACKEND: an unknown name lists the known ones; classes and factories are accepted', async (t) => {
  t.same(emailBackendNames().slice(0, 5), ['smtp', 'console', 'filebased', 'locmem', 'dummy']);
  t.throws(() => getConnection(settingsWith({ EMAIL_BACKEND: 'carrier-pigeon' })), {
    constructor: ImproperlyConfigured,
    code: 'RH_ERR_UNKNOWN_COMPONENT',
    message: "EMAIL_BACKEND: 'carrier-pigeon' is not a known email backend. Known names: 'smtp', 'console', 'filebased', 'locmem', 'dummy'; or pass an imported backend class or factory instead of a string.",
  });
  await t.rejects(sendMail('x', 'y', null, ['a@example.com'], { settings: settingsWith({ EMAIL_BACKEND: 'nope' }) }), {
    code: 'RH_ERR_UNKNOWN_COMPONENT',
  });

  const seen: string[] = [];
  class Recording extends BaseEmailBackend {
    async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
      for (const m of messages) seen.push(`class:${m.subject}`);
      return messages.length;
    }
  }
  const factory = (settings: LoadedSettings): EmailBackend => ({
    failSilently: false,
    settings,
    open: async () => false,
    close: async () => {},
    sendMessages: async (messages) => {
      for (const m of messages) seen.push(`factory:${m.subject}`);
      return messages.length;
    },
  });
  t.equal(await sendMail('A', 'x', null, ['a@example.com'], { settings: settingsWith({ EMAIL_BACKEND: Recording }) }), 1);
  t.equal(await sendMail('B', 'x', null, ['a@example.com'], { settings: settingsWith({ EMAIL_BACKEND: factory }) }), 1);
  registerEmailBackend('recording', Recording);
  t.equal(await sendMail('C', 'x', null, ['a@example.com'], { settings: settingsWith({ EMAIL_BACKEND: 'recording' }) }), 1);
  t.same(seen, ['class:A', 'factory:B', 'class:C']);
  t.throws(() => getConnection(settingsWith({ EMAIL_BACKEND: () => ({ open() {} }) })), {
    code: 'RH_ERR_UNKNOWN_COMPONENT',
    message: /has no close\(\), sendMessages\(\) method/,
  });
  t.throws(() => getConnection(settingsWith(), { backend: 42 }), { code: 'RH_ERR_UNKNOWN_COMPONENT' });
});

t.test('settings come from getSettings() when no settings option is given', async (t) => {
  clearOutbox();
  t.teardown(() => {
    activateSettings(undefined);
    clearOutbox();
  });
  activateSettings(undefined);
  t.throws(() => new EmailMessage({ subject: 's', body: 'b', to: ['a@example.com'] }), { code: 'RH_ERR_SETTINGS_NOT_CONFIGURED' });
  activateSettings(settingsWith({ EMAIL_BACKEND: 'locmem', DEFAULT_FROM_EMAIL: 'active@example.com' }));
  t.equal(await sendMail('Active', 'x', null, ['a@example.com']), 1);
  t.equal(outbox[0]!.from, 'active@example.com');
});

t.test('EmailMessage: recipients, message() without Bcc, attachments, extra headers', async (t) => {
  const settings = settingsWith();
  t.throws(
    () => new EmailMessage({ subject: 's', body: 'b', to: 'a@example.com' as unknown as string[], settings }),
    { constructor: TypeError, message: /'to' must be a list/ },
  );
  const mail = new EmailMessage({
    subject: 'Report',
    body: 'See attached.',
    from: 'reports@coffeehouse.test',
    to: ['a@example.com', ''],
    cc: ['c@example.com'],
    bcc: ['secret@example.com'],
    headers: { From: 'Reports <display@coffeehouse.test>', 'Message-ID': '<fixed@coffeehouse.test>', Date: 'Tue, 1 Jan 2030 00:00:00 +0000' },
    attachments: [['notes.txt', Buffer.from('caf\u00e9 notes')], { filename: 'raw.txt', content: Buffer.from([0xff, 0xfe, 0x00]) }],
    alternatives: [['<p>See attached.</p>', 'text/html']],
    settings,
  });
  t.same(mail.recipients(), ['a@example.com', 'c@example.com', 'secret@example.com'], 'empty entries left out');
  t.same(mail.envelope(), { from: 'reports@coffeehouse.test', to: ['a@example.com', 'c@example.com', 'secret@example.com'] });

  const dir = tempDir(t);
  const file = join(dir, 'menu.json');
  writeFileSync(file, '{"latte": 3}');
  mail.attachFile(file);
  t.same(mail.attachments.map((a) => a.filename), ['notes.txt', 'raw.txt', 'menu.json']);

  const text = await mail.message();
  t.match(text, /\r\n/, 'RFC 5322 line ends');
  t.notMatch(text, /^Bcc:/m);
  t.notMatch(text, /secret@example\.com/);
  t.match(text, /^From: Reports <display@coffeehouse\.test>\r$/m, 'an extra From header replaces the display');
  t.match(text, /^Message-ID: <fixed@coffeehouse\.test>\r$/m);
  t.match(text, /^Date: Tue, 1 Jan 2030 00:00:00 \+0000\r$/m);
  t.equal(text.match(/^Date:/gm)?.length, 1, 'one Date header');
  t.match(text, /Content-Type: text\/plain; charset=utf-8; name=notes\.txt/, 'text bytes that are UTF-8 stay text');
  t.match(text, /Content-Type: application\/octet-stream; name=raw\.txt/, 'text bytes that are not UTF-8 become octet-stream');
  t.match(text, /Content-Type: application\/json; name=menu\.json/, 'type guessed from the file name');

  t.equal(await new EmailMessage({ subject: 's', body: 'b', settings }).send(), 0, 'nobody to send to');
  t.throws(() => mail.attachAlternative('x', ''), TypeError);
});
