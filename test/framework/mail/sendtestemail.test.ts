/**
 * The sendtestemail command, called directly (the runner is tested elsewhere): recipients,
 * --managers, --admins, Django's subject and body, and its errors.
 */
import { hostname } from 'node:os';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { CommandError } from '../../../framework/src/errors.js';
import { clearOutbox, outbox } from '../../../framework/src/mail/index.js';
import type { CommandContext } from '../../../framework/src/management/base-command.js';
import SendTestEmailCommand from '../../../framework/src/management/commands/sendtestemail.js';
import { closedPort, header, startSmtpServer } from './fixtures/smtp-server.js';

interface Run {
  stdout: string;
  stderr: string;
  error: unknown;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

function context(settings: LoadedSettings | undefined): CommandContext {
  return { settings, baseDir: '/tmp', progName: 'manage.ts', argv: ['sendtestemail'], verbosity: 1, stdin: new PassThrough(), env: {} };
}

async function run(settings: LoadedSettings | undefined, emails: string[], flags: { managers?: boolean; admins?: boolean } = {}): Promise<Run> {
  const command = new SendTestEmailCommand();
  const out = new PassThrough();
  const err = new PassThrough();
  const stdout = collect(out);
  const stderr = collect(err);
  command.setIO({ stdout: out, stderr: err, color: false });
  let error: unknown;
  try {
    await command.handle({ email: emails }, { managers: flags.managers ?? false, admins: flags.admins ?? false }, context(settings));
  } catch (e) {
    error = e;
  }
  await new Promise((resolve) => setImmediate(resolve));
  return { stdout: stdout(), stderr: stderr(), error };
}

const SUBJECT = /^Test email from (.+) on (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00)$/;

t.beforeEach(() => clearOutbox());
t.teardown(() => clearOutbox());

const locmem = configureSettings({
  EMAIL_BACKEND: 'locmem',
  ADMINS: [['Ann', 'ann@example.com']],
  MANAGERS: ['Max <max@example.com>'],
  EMAIL_SUBJECT_PREFIX: '[Coffeehouse] ',
});

t.test('declares Django\'s arguments and options', async (t) => {
  const command = new SendTestEmailCommand();
  t.same(command.args, [{ name: 'email', help: 'One or more email addresses to send a test email to.', optional: true, variadic: true }]);
  t.same(Object.keys(command.options), ['managers', 'admins']);
  t.equal(command.help, 'Sends a test email to the email addresses specified as arguments.');
});

t.test('addresses get Django\'s subject and body', async (t) => {
  const result = await run(locmem, ['joe@example.com', 'jane@example.com']);
  t.equal(result.error, undefined);
  t.equal(result.stdout, '');
  t.equal(outbox.length, 1);
  const mail = outbox[0]!;
  const m = SUBJECT.exec(mail.subject);
  t.ok(m, `subject reads like Django's: ${mail.subject}`);
  t.equal(m?.[1], hostname());
  t.equal(mail.body, "If you're reading this, it was successful.");
  t.same(mail.to, ['joe@example.com', 'jane@example.com']);
  t.equal(mail.from, 'webmaster@localhost', 'DEFAULT_FROM_EMAIL');
});

t.test('--managers and --admins mail MANAGERS and ADMINS with the subject prefix', async (t) => {
  const result = await run(locmem, [], { managers: true, admins: true });
  t.equal(result.error, undefined);
  t.equal(outbox.length, 2);
  const [managers, admins] = outbox;
  t.match(managers!.subject, /^\[Coffeehouse\] Test email from /);
  t.equal(managers!.body, 'This email was sent to the site managers.');
  t.same(managers!.to, [{ name: 'Max', address: 'max@example.com' }]);
  t.equal(managers!.from, 'root@localhost', 'SERVER_EMAIL');
  t.match(admins!.subject, /^\[Coffeehouse\] Test email from /);
  t.equal(admins!.body, 'This email was sent to the site admins.');
  t.same(admins!.to, [{ name: 'Ann', address: 'ann@example.com' }]);
});

t.test('no recipients and no flag: Django\'s CommandError', async (t) => {
  const result = await run(locmem, []);
  t.type(result.error, CommandError);
  t.equal((result.error as Error).message, 'You must specify some email recipients, or pass the --managers or --admin options.');
  t.equal(outbox.length, 0);
});

t.test('--admins with an empty ADMINS says so and sends nothing', async (t) => {
  const result = await run(configureSettings({ EMAIL_BACKEND: 'locmem' }), [], { admins: true });
  t.equal(result.error, undefined);
  t.match(result.stderr, /ADMINS is empty: no test email was sent to the admins\./);
  t.equal(outbox.length, 0);
});

t.test('without settings: the command asks for them', async (t) => {
  const result = await run(undefined, ['a@example.com']);
  t.type(result.error, CommandError);
  t.match((result.error as Error).message, /needs settings/);
});

t.test('over real SMTP: one connection for everything; a dead server is a CommandError', async (t) => {
  const server = await startSmtpServer(t);
  const settings = configureSettings({
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: server.port,
    ADMINS: ['ann@example.com'],
    MANAGERS: [['Max', 'max@example.com']],
  });
  const result = await run(settings, ['joe@example.com'], { managers: true, admins: true });
  t.equal(result.error, undefined);
  t.equal(server.messages.length, 3);
  t.equal(server.connections, 1);
  t.match(header(server.messages[0]!.raw, 'Subject'), SUBJECT);
  t.match(header(server.messages[1]!.raw, 'Subject'), /^\[Reinhardt\] Test email from /);
  t.same(server.messages.map((m) => m.to), [['joe@example.com'], ['max@example.com'], ['ann@example.com']]);

  const down = configureSettings({ EMAIL_HOST: '127.0.0.1', EMAIL_PORT: await closedPort() });
  const failed = await run(down, ['joe@example.com']);
  t.type(failed.error, CommandError);
  t.match((failed.error as Error).message, /Could not send email through the SMTP server 127\.0\.0\.1:\d+ \(ESOCKET\)/);
  t.match((failed.error as Error).message, /Check EMAIL_HOST and EMAIL_PORT/);
});
