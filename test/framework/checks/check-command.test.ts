import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { CheckRegistry, checkError, checkWarning } from '../../../framework/src/checks/index.js';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { CommandError, SystemCheckError } from '../../../framework/src/errors.js';
import type { CommandContext } from '../../../framework/src/management/base-command.js';
import CheckCommand from '../../../framework/src/management/commands/check.js';
import { FRESH_PROJECT, PRODUCTION } from './fixtures/settings.js';

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

function context(settings: LoadedSettings | undefined, baseDir = '/tmp'): CommandContext {
  return { settings, baseDir, progName: 'manage.ts', argv: ['check'], verbosity: 1, stdin: new PassThrough(), env: {} };
}

async function runCheck(
  settings: LoadedSettings | undefined,
  options: { tag?: string[]; 'list-tags'?: boolean; deploy?: boolean; 'fail-level'?: string } = {},
  labels: string[] = [],
  setup?: (command: CheckCommand) => void,
): Promise<Run> {
  const command = new CheckCommand();
  const out = new PassThrough();
  const err = new PassThrough();
  const stdout = collect(out);
  const stderr = collect(err);
  command.setIO({ stdout: out, stderr: err, color: false });
  setup?.(command);
  let error: unknown;
  try {
    await command.handle(
      { app_label: labels },
      { tag: options.tag ?? [], 'list-tags': options['list-tags'] ?? false, deploy: options.deploy ?? false, 'fail-level': options['fail-level'] ?? 'ERROR' },
      context(settings),
    );
  } catch (e) {
    error = e;
  }
  await new Promise((resolve) => setImmediate(resolve));
  return { stdout: stdout(), stderr: stderr(), error };
}

const FRESH_DEPLOY_REPORT = [
  'System check identified some issues:',
  '',
  'WARNINGS:',
  '?: (reinhardt.W002) ',
  '?: (reinhardt.W003) ',
  '?: (security.W004) You have not set a value for the SECURE_HSTS_SECONDS setting.',
  '?: (security.W008) Your SECURE_SSL_REDIRECT setting is not set to true.',
  "?: (security.W009) Your SECRET_KEY has less than 50 characters, less than 5 unique characters, or it's prefixed with 'reinhardt-insecure-'",
  '?: (security.W012) SESSION_COOKIE_SECURE is not set to true.',
  "?: (security.W016) You have the 'csrf' middleware in your MIDDLEWARE, but you have not set CSRF_COOKIE_SECURE to true.",
  '?: (security.W018) You should not have DEBUG set to true in deployment.',
  '?: (security.W020) ALLOWED_HOSTS must not be empty in deployment.',
];

t.test('check --deploy on a fresh project', async (t) => {
  const settings = configureSettings(FRESH_PROJECT);
  const { stdout, stderr, error } = await runCheck(settings, { deploy: true });
  t.equal(error, undefined, 'warnings do not fail at the default fail level (exit 0)');
  t.equal(stdout, '');
  const lines = stderr.split('\n').filter((l) => !l.startsWith('\tHINT: '));
  for (const [i, start] of FRESH_DEPLOY_REPORT.entries()) t.ok(lines[i]?.startsWith(start), `line ${i}: ${start}`);
  t.equal(lines[FRESH_DEPLOY_REPORT.length], '', 'a blank line before the footer');
  t.equal(lines[FRESH_DEPLOY_REPORT.length + 1], 'System check identified 9 issues (0 silenced).');
  t.ok(stderr.endsWith('(0 silenced).\n'));
  t.match(stderr, /\?: \(security\.W009\) .*\n\tHINT: Run `generatesecretkey`/, 'hints on their own line');

  const failing = await runCheck(settings, { deploy: true, 'fail-level': 'WARNING' });
  t.type(failing.error, SystemCheckError, '--fail-level WARNING fails');
  t.type(failing.error, CommandError, 'a SystemCheckError is a CommandError (exit status 1)');
  const e = failing.error as SystemCheckError;
  t.equal(e.returncode, 1);
  t.match(e.message, /^SystemCheckError: System check identified some issues:\n\nWARNINGS:\n\?: \(reinhardt\.W002\)/);
  t.match(e.message, /\n\nSystem check identified 9 issues \(0 silenced\)\.$/);
  t.equal(failing.stdout + failing.stderr, '', 'the report travels in the error, for the runner to print');

  const plain = await runCheck(settings);
  t.same(plain, { stdout: 'System check identified no issues (0 silenced).\n', stderr: '', error: undefined }, 'no deploy checks without --deploy');
});

t.test('SILENCED_SYSTEM_CHECKS silences and counts', async (t) => {
  const settings = configureSettings({
    ...FRESH_PROJECT,
    SILENCED_SYSTEM_CHECKS: ['security.W004', 'security.W008', 'security.W009', 'security.W012', 'security.W016', 'security.W018', 'reinhardt.W002'],
  });
  const { stderr, error } = await runCheck(settings, { deploy: true, 'fail-level': 'WARNING' });
  t.type(error, SystemCheckError);
  const message = (error as Error).message;
  t.match(message, /System check identified 2 issues \(7 silenced\)\.$/);
  t.notMatch(message, /security\.W004/);
  t.equal(stderr, '');

  const all = configureSettings({ ...settings, SILENCED_SYSTEM_CHECKS: [...settings.SILENCED_SYSTEM_CHECKS, 'security.W020', 'reinhardt.W003'] });
  const quiet = await runCheck(all, { deploy: true, 'fail-level': 'WARNING' });
  t.same(quiet, { stdout: 'System check identified no issues (9 silenced).\n', stderr: '', error: undefined });
});

t.test('a hardened production site', async (t) => {
  const { stdout, stderr, error } = await runCheck(configureSettings(PRODUCTION), { deploy: true, 'fail-level': 'DEBUG' });
  t.equal(error, undefined);
  t.equal(stderr, '');
  t.equal(stdout, 'System check identified no issues (0 silenced).\n');
});

t.test('--list-tags, --tag and --fail-level', async (t) => {
  const settings = configureSettings(FRESH_PROJECT);
  t.equal((await runCheck(settings, { 'list-tags': true })).stdout, 'staticfiles\n', 'without --deploy: the always-on static files checks');
  t.equal((await runCheck(settings, { 'list-tags': true, deploy: true })).stdout, 'mail\nsecurity\nstaticfiles\n');

  const tagged = await runCheck(settings, { deploy: true, tag: ['staticfiles'] });
  t.match(tagged.stderr, /^System check identified some issues:\n\nWARNINGS:\n\?: \(reinhardt\.W003\) [^\n]+\n\tHINT: [^\n]+\n\nSystem check identified 1 issue \(0 silenced\)\.\n$/);

  const unknownTag = await runCheck(settings, { deploy: true, tag: ['security', 'nope'] });
  t.type(unknownTag.error, CommandError);
  t.equal((unknownTag.error as Error).message, 'There is no system check with the "nope" tag.');
  const deployOnlyTag = await runCheck(settings, { tag: ['security'] });
  t.equal((deployOnlyTag.error as Error).message, 'There is no system check with the "security" tag.', 'deploy tags need --deploy');

  const badLevel = await runCheck(settings, { 'fail-level': 'LOUD' });
  t.type(badLevel.error, CommandError);
  t.match((badLevel.error as Error).message, /invalid choice: 'LOUD' \(choose from 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'\)/);

  const none = await runCheck(undefined);
  t.type(none.error, CommandError, 'settings are required');
});

t.test('errors fail at the default level; app labels reach the checks', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'reinhardt-check-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  mkdirSync(join(base, 'stores'));
  mkdirSync(join(base, 'drinks'));
  const settings = configureSettings({ INSTALLED_APPS: ['stores', 'drinks'] }, { baseDir: base });

  const registry = new CheckRegistry();
  const seen: (string[] | null)[] = [];
  registry.register(({ apps }) => {
    seen.push(apps ? apps.map((a) => a.label) : null);
    return (apps ?? []).map((a) => checkError(`${a.label} is broken.`, { id: 'apps.E001', obj: a.label, hint: 'Mend it.' }));
  }, { tags: ['apps'] });
  registry.register(() => [checkWarning('Just so you know.', { id: 'apps.W001' })]);
  const withRegistry = (command: CheckCommand) => {
    command.registry = registry;
  };

  const whole = await runCheck(settings, {}, [], withRegistry);
  t.equal(whole.error, undefined);
  t.equal(whole.stderr, 'System check identified some issues:\n\nWARNINGS:\n?: (apps.W001) Just so you know.\n\nSystem check identified 1 issue (0 silenced).\n');

  const some = await runCheck(settings, {}, ['drinks', 'stores'], withRegistry);
  t.type(some.error, SystemCheckError);
  t.equal(
    (some.error as Error).message,
    [
      'SystemCheckError: System check identified some issues:',
      '',
      'ERRORS:',
      'drinks: (apps.E001) drinks is broken.',
      '\tHINT: Mend it.',
      'stores: (apps.E001) stores is broken.',
      '\tHINT: Mend it.',
      '',
      'WARNINGS:',
      '?: (apps.W001) Just so you know.',
      '',
      'System check identified 3 issues (0 silenced).',
    ].join('\n'),
  );
  const critical = await runCheck(settings, { 'fail-level': 'CRITICAL' }, ['stores'], withRegistry);
  t.equal(critical.error, undefined, 'errors pass at --fail-level CRITICAL');
  t.match(critical.stderr, /^System check identified some issues:\n\nERRORS:\nstores: /);
  t.same(seen, [null, ['drinks', 'stores'], ['stores']]);

  const unknown = await runCheck(settings, {}, ['menu'], withRegistry);
  t.type(unknown.error, CommandError);
  t.equal((unknown.error as Error).message, "No installed app with label 'menu'.");
});

t.test('colour: warnings in yellow, and the stderr writer adds no paint of its own', async (t) => {
  const command = new CheckCommand();
  const out = new PassThrough();
  const err = new PassThrough();
  const stderr = collect(err);
  command.setIO({ stdout: out, stderr: err, color: true });
  await command.handle({}, { tag: [], 'list-tags': false, deploy: true, 'fail-level': 'ERROR' }, context(configureSettings(FRESH_PROJECT)));
  await new Promise((resolve) => setImmediate(resolve));
  const text = stderr();
  t.match(text, /^System check identified some issues:\n/, 'the header is not painted');
  t.match(text, /\x1b\[33;1m\?: \(security\.W004\)/, 'warnings in yellow');
});
