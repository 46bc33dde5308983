/**
 * The writing handlers and what they write: JSON lines and pretty lines on the console, files,
 * formatters; secrets masked by name, redacted by value and by pino path; fields that try to
 * overwrite level/time/msg; values that try to forge a line; a file that cannot be written.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { MASK } from '../../../framework/src/conf/mask.js';
import { configureLogging, flushLogging } from '../../../framework/src/log/configure.js';
import { getLogger } from '../../../framework/src/log/logger.js';
import type { LogEntry } from '../../../framework/src/log/types.js';
import { tempDir } from '../../helpers.js';
import { SECRET_KEY, settingsWith, TextCapture, useLogging } from './fixtures/capture.js';

const FORGED = 'x\n[12:00:00.000] INFO (reinhardt): admin logged in\r\x1b[2Kgone';

/** Lines that start a record: a pretty timestamp or a text formatter's level. */
function recordStarts(text: string, start: RegExp): number {
  return text.split('\n').filter((l) => start.test(l)).length;
}

/** Every line is a record start or an indented continuation: nothing can pass for a record. */
function onlyRecordsOrIndented(text: string, start: RegExp): boolean {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .every((l) => start.test(l) || /^[ \t]/.test(l));
}

t.test('JSON lines (DEBUG off): the record owns level, time, msg and name; secrets never appear', async (t) => {
  const { out } = await useLogging(t, {
    DEBUG: false,
    LOGGING: { root: { handlers: ['json'], level: 'DEBUG' }, handlers: { json: { class: 'console' } } },
  });
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const before = Date.now();
  getLogger('coffeehouse.orders').info(`order placed with key ${SECRET_KEY}`, {
    level: 'CRITICAL',
    time: 0,
    msg: 'forged message',
    name: 'forged.logger',
    order: 42,
    api_key: 'sk-live-123',
    customer: { name: 'Ann', password: 'hunter2', card_token: 'tok_1' },
    headers: { authorization: 'Bearer abc.def', cookie: 'sessionid=1', accept: 'text/html' },
    upstream: { headers: { authorization: 'Basic Zm9vOmJhcg==' } },
    db: [{ dsn: 'postgres://shop:pw@db/shop' }],
    sessionid: 'abc123',
    note: `the key is ${SECRET_KEY}`,
    cause: new RangeError(`bad ${SECRET_KEY}`),
    cyclic,
    big: 10n,
    when: new Date(0),
    request: { method: 'GET', headers: { cookie: 'x' } },
    err2: undefined,
  });
  const [line] = out.json();
  t.ok(line, 'one JSON line');
  t.equal(line!.level, 'INFO');
  t.equal(line!.msg, `order placed with key ${MASK}`, 'the secret value is redacted in the message');
  t.equal(line!.name, 'coffeehouse.orders');
  t.ok((line!.time as number) >= before && (line!.time as number) <= Date.now(), 'the time is the record time');
  t.match(line, {
    extra_level: 'CRITICAL',
    extra_time: 0,
    extra_msg: 'forged message',
    extra_name: 'forged.logger',
    order: 42,
    api_key: MASK,
    customer: { name: 'Ann', password: MASK, card_token: MASK },
    headers: { authorization: MASK, cookie: MASK, accept: 'text/html' },
    upstream: { headers: { authorization: MASK } },
    db: [{ dsn: MASK }],
    sessionid: MASK,
    note: `the key is ${MASK}`,
    cause: { type: 'RangeError', message: `bad ${MASK}` },
    cyclic: { name: 'loop', self: '<circular>' },
    big: '10',
    when: '1970-01-01T00:00:00.000Z',
  });
  t.notOk('request' in line!, 'the request object is never written as a field');
  t.notMatch(out.text, SECRET_KEY);
  t.notMatch(out.text, /hunter2|sk-live|Bearer|Zm9vOmJhcg|postgres:|abc123/);
});

t.test('errors: type, message and stack, redacted', async (t) => {
  const { out } = await useLogging(t, { DEBUG: false, LOGGING: { root: { handlers: ['json'] }, handlers: { json: { class: 'console' } } } });
  function chargeCard(): never {
    throw new TypeError(`gateway refused key ${SECRET_KEY}`);
  }
  try {
    chargeCard();
  } catch (err) {
    getLogger('shop').exception('Payment failed', err);
  }
  getLogger('shop').error('Odd throw', { err: { code: 7 } });
  const [first, second] = out.json();
  t.match(first, { level: 'ERROR', msg: 'Payment failed', err: { type: 'TypeError', message: `gateway refused key ${MASK}` } });
  t.match((first!.err as { stack: string }).stack, /at chargeCard/);
  t.notMatch(out.text, SECRET_KEY);
  t.match(second, { err: { type: 'Object', message: '{"code":7}' } });
});

t.test('pretty lines (DEBUG on): readable, and a logged value cannot forge a line', async (t) => {
  const { out } = await useLogging(t, { DEBUG: true, LOGGING: { loggers: { reinhardt: { level: 'DEBUG' } } } });
  getLogger('reinhardt.request').warning(`Not Found: /${FORGED}`, { status_code: 404, path: FORGED });
  const err = new Error(`boom ${FORGED}`);
  getLogger('reinhardt.request').exception('Internal Server Error: /boom/', err);
  const start = /^\[\d\d:\d\d:\d\d\.\d{3}\] [A-Z]+ \(/;
  t.equal(recordStarts(out.text, start), 2, 'two records, two starting lines');
  t.ok(onlyRecordsOrIndented(out.text, start), 'every other line is an indented continuation (the stack)');
  t.notMatch(out.text, /\x1b|\r/, 'no raw escape or carriage return reaches the terminal');
  t.match(out.text, 'Not Found: /x\\n[12:00:00.000] INFO (reinhardt): admin logged in\\r\\x1b[2Kgone');
  t.match(out.text, /\n {4}Error: boom x\n {4}\[12:00:00\.000\] INFO \(reinhardt\): admin logged in\\r\\x1b\[2Kgone\n/, 'the stack follows, every line of it indented, control characters escaped');
  t.match(out.text, /\n {8}at /);
});

t.test('text formatters: both styles, widths, fields, and the same line guard', async (t) => {
  const { out } = await useLogging(t, {
    DEBUG: false,
    LOGGING: {
      formatters: {
        brace: { format: '{levelname:<8}|{name}|{message}|{status_code}|{missing}' },
        percent: { format: '%(levelname)-8s %(name)s: %(message)s %%', style: '%' },
        sneaky: { '()': () => (entry: LogEntry) => `${entry.msg}\nINFO forged by a custom formatter` },
        json: { '()': 'json' },
      },
      handlers: {
        a: { class: 'console', formatter: 'brace' },
        b: { class: 'console', formatter: 'percent' },
        c: { class: 'console', formatter: 'sneaky' },
        d: { class: 'console', formatter: 'json' },
      },
      loggers: { web: { handlers: ['a', 'b', 'c', 'd'], level: 'INFO' } },
    },
  });
  getLogger('web').warning('slow page', { status_code: 200 });
  getLogger('web').info(`path ${FORGED}`);
  const lines = out.lines();
  t.equal(lines[0], 'WARNING |web|slow page|200|-');
  t.equal(lines[1], 'WARNING  web: slow page %');
  t.equal(lines[2], 'slow page');
  t.equal(lines[3], '  INFO forged by a custom formatter', 'a custom formatter cannot start a line: it is indented');
  t.match(JSON.parse(lines[4]!), { level: 'WARNING', msg: 'slow page', status_code: 200 });
  t.equal(lines[5], 'INFO    |web|path x\\n[12:00:00.000] INFO (reinhardt): admin logged in\\r\\x1b[2Kgone|-|-');
});

t.test("the 'server' formatter: Django's runserver line in DEBUG, JSON otherwise", async (t) => {
  const debug = await useLogging(t, { DEBUG: true });
  getLogger('reinhardt.server').info('"GET /menu/ HTTP/1.1" 200 1234', { status_code: 200 });
  t.match(debug.out.text, /^\[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] "GET \/menu\/ HTTP\/1\.1" 200 1234\n$/);
  const prod = await useLogging(t, { DEBUG: false });
  getLogger('reinhardt.server').info('"GET /menu/ HTTP/1.1" 200 1234', { status_code: 200 });
  t.match(JSON.parse(prod.out.text), { level: 'INFO', name: 'reinhardt.server', status_code: 200 });
});

t.test("console stream option: 'stdout', 'stderr', or any writer", async (t) => {
  const mine = new TextCapture();
  await useLogging(t, { LOGGING: { handlers: { own: { class: 'console', stream: mine, format: 'json' } }, root: { handlers: ['own'] } } });
  getLogger('a').warning('to my stream');
  t.match(mine.json()[0], { msg: 'to my stream' });
  await t.rejects(configureLogging(settingsWith({ LOGGING: { handlers: { bad: { class: 'console', format: 'xml' } } } })), {
    message: /handler 'bad': format must be 'pretty' or 'json'/,
  });
});

t.test('file handler: JSON lines appended to an absolute path', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'site.log');
  writeFileSync(filename, '{"existing":true}\n');
  await useLogging(t, {
    LOGGING: {
      formatters: { plain: { format: '{levelname} {name}: {message}' } },
      handlers: { file: { class: 'file', filename, level: 'INFO' }, text: { class: 'file', filename: join(dir, 'text.log'), formatter: 'plain' } },
      loggers: { shop: { handlers: ['file', 'text'], level: 'DEBUG' } },
    },
  });
  getLogger('shop').debug('below the handler level');
  getLogger('shop').info('opened', { store: 1 });
  getLogger('shop').error(`broken ${FORGED}`, { err: new Error('kaput') });
  t.equal(await flushLogging({ timeoutMs: 5_000 }), true);
  const lines = readFileSync(filename, 'utf8').split('\n').filter(Boolean);
  t.equal(lines.length, 3, 'appended, the earlier content kept');
  t.match(JSON.parse(lines[1]!), { level: 'INFO', name: 'shop', msg: 'opened', store: 1 });
  t.match(JSON.parse(lines[2]!), { level: 'ERROR', err: { type: 'Error', message: 'kaput' } });
  const text = readFileSync(join(dir, 'text.log'), 'utf8');
  t.match(text, /^DEBUG shop: below the handler level\nINFO shop: opened\nERROR shop: broken x\\n\[12:00:00\.000\] INFO \(reinhardt\): admin logged in\\r\\x1b\[2Kgone\n {4}Error: kaput\n {4}    at /);
  t.ok(onlyRecordsOrIndented(text, /^(DEBUG|INFO|ERROR) shop: /), 'the text file has no handler level: DEBUG too');
});

t.test('file handler: clear errors at configure time, naming the handler', async (t) => {
  const dir = tempDir(t);
  const attempt = (handler: Record<string, unknown>) =>
    configureLogging(settingsWith({ LOGGING: { handlers: { logfile: { class: 'file', ...handler } } } })).then(
      () => '',
      (e: Error) => e.message,
    );
  t.match(await attempt({}), /handler 'logfile' \(class 'file'\) needs filename: an absolute path/);
  t.match(await attempt({ filename: 'logs/site.log' }), /handler 'logfile': filename must be an absolute path \(got 'logs\/site.log'\)\. Build it from BASE_DIR/);
  t.match(await attempt({ filename: join(dir, 'missing', 'site.log') }), new RegExp(`handler 'logfile': cannot open .*: the folder '${dir}/missing' does not exist\\. Create it`));
  t.match(await attempt({ filename: dir }), /handler 'logfile': cannot open .*: it is a folder/);

  // A folder the process may not write to. Root may write anywhere a mode allows, so use /sys,
  // which refuses new files even to root.
  let readOnly: string;
  if (process.getuid?.() === 0) {
    readOnly = '/sys/reinhardt-test.log';
  } else {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    t.teardown(() => chmodSync(locked, 0o700));
    readOnly = join(locked, 'site.log');
  }
  t.match(await attempt({ filename: readOnly }), /handler 'logfile': cannot open .*: this process \(uid \d+\) may not write there \((EACCES|EPERM|EROFS)\)/);
});

t.test('file handler: a full disk later never throws, is reported once, and logging goes on', async (t) => {
  const { errors } = await useLogging(t, {
    LOGGING: {
      handlers: { full: { class: 'file', filename: '/dev/full' }, after: { class: 'console', format: 'json' } },
      root: { handlers: ['full', 'after'], level: 'INFO' },
    },
  });
  for (let i = 0; i < 50; i++) {
    getLogger('busy').info(`record ${i}`, { payload: 'x'.repeat(100) });
    if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  // Generous deadlines: flushLogging returns as soon as the writes have landed or failed.
  await flushLogging({ timeoutMs: 10_000 });
  getLogger('busy').info('still logging');
  await flushLogging({ timeoutMs: 10_000 });
  const reports = errors.lines();
  t.equal(reports.length, 1, 'one report, however many writes failed');
  t.match(reports[0], /handler 'full' could not write to \/dev\/full: .*ENOSPC.*reported once/);
});
