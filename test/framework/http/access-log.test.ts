/**
 * The access log through a listening site: one JSON line per response on 'reinhardt.server'.
 * Its usual records (JSON lines to the console or a file, no filter) are rendered by the access
 * log itself instead of by the generic preparation and pino; these tests hold that path to the
 * very bytes the generic one writes, for targets that need escaping, redaction or pino's long
 * string path, and check that a writer that fails is reported without costing the others.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { registerSecretValue } from '../../../framework/src/conf/mask.js';
import { durationText } from '../../../framework/src/http/access-log.js';
import { configureLogging, flushLogging } from '../../../framework/src/log/configure.js';
import { getLogger, jsonLineWriter } from '../../../framework/src/log/logger.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { bootSite, rawExchange, type Site, writeSite } from '../../fixtures/sites.js';
import { tempDir } from '../../helpers.js';
import { TextCapture } from '../log/fixtures/capture.js';

const SECRET_KEY = 'access-log-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789';

const SETTINGS = `
import { defineSettings } from 'reinhardt/conf';
export default defineSettings({
  SECRET_KEY: '${SECRET_KEY}',
  DEBUG: false,
  ALLOWED_HOSTS: ['127.0.0.1'],
  ROOT_URLCONF: 'site.urls',
  MIDDLEWARE: ['security'],
});
`;

const URLS = `
import { path } from 'reinhardt/urls';
import { HttpResponse } from 'reinhardt/http';
export const urlpatterns = [
  path('ok/', () => new HttpResponse('fine')),
  path('broken/', () => { throw new Error('kaput'); }),
];
`;

/**
 * Request lines sent as they are: quotes, backslashes, the secret key, a target over pino's
 * 100-character fast path, escapes, every level. (Raw non-ASCII bytes in a target are refused by
 * Node's parser with a 400 before any response is made, so they have no access line.)
 */
const TARGETS = [
  'GET /ok/ HTTP/1.1',
  'HEAD /ok/ HTTP/1.1',
  'GET /ok/?q="quoted"&b=back\\slash HTTP/1.1',
  `GET /ok/?key=${SECRET_KEY} HTTP/1.1`,
  `GET /ok/?long=${'x'.repeat(120)}"${'y'.repeat(10)} HTTP/1.1`,
  'GET /missing/%22%0A%5C HTTP/1.0',
  'POST /ok/ HTTP/1.1',
  'GET /broken/ HTTP/1.1',
];

async function site(t: Test): Promise<Site> {
  const dir = writeSite(t, { 'site/settings.ts': SETTINGS, 'site/urls.ts': URLS });
  return bootSite(t, dir, 'site.settings', { accessLog: true });
}

/** Send every target, one connection each, in order; then let the access log write its lines. */
async function sendAll(s: Site): Promise<void> {
  for (const line of TARGETS) {
    const body = line.startsWith('POST') ? 'Content-Length: 0\r\n' : '';
    const answer = await rawExchange(s.url, `${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n${body}\r\n`);
    if (!answer.startsWith('HTTP/1.')) throw new Error(`no answer to ${line}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  await flushLogging({ timeoutMs: 2_000 });
}

/** The access lines, with the two values that differ from one request to the next made equal. */
function accessLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.includes('"name":"reinhardt.server"'))
    .map((l) => l.replace(/"time":\d+/, '"time":0').replace(/"duration_ms":[\d.e-]+/, '"duration_ms":0'));
}

async function useLogging(s: Site, logging: LoadedSettings['LOGGING'], out: TextCapture, errors = new TextCapture()): Promise<void> {
  await configureLogging({ ...s.app.settings, LOGGING: logging }, { stream: out, errorStream: errors });
}

const server = getLogger('reinhardt.server');

/**
 * Every target through plain JSON handlers (a console and a file: the pre-rendered path), then
 * through the same console handler with a filter that lets everything through (the generic path).
 */
async function bothPaths(t: Test, s: Site): Promise<{ direct: string; file: string; generic: string }> {
  const dir = tempDir(t);
  const file = join(dir, 'access.log');
  const direct = new TextCapture();
  await useLogging(
    s,
    {
      handlers: { 'reinhardt.server': { class: 'console' }, access_file: { class: 'file', filename: file, level: 'INFO' } },
      loggers: { 'reinhardt.server': { handlers: ['reinhardt.server', 'access_file'], level: 'INFO', propagate: false } },
    },
    direct,
  );
  t.ok(jsonLineWriter(server, 'INFO'), 'the plain JSON handlers take pre-rendered lines');
  t.ok(jsonLineWriter(server, 'WARNING'), 'at every level they handle');
  await sendAll(s);

  const generic = new TextCapture();
  await useLogging(
    s,
    {
      handlers: { 'reinhardt.server': { class: 'console', filters: [() => true] } },
      loggers: { 'reinhardt.server': { handlers: ['reinhardt.server'], level: 'INFO', propagate: false } },
    },
    generic,
  );
  t.equal(jsonLineWriter(server, 'INFO'), undefined, 'a filter sends records the generic way');
  await sendAll(s);
  return { direct: direct.text, file: readFileSync(file, 'utf8'), generic: generic.text };
}

t.test('pre-rendered access lines are the bytes the generic path writes', async (t) => {
  const s = await site(t);
  const { direct, file, generic } = await bothPaths(t, s);
  const expected = accessLines(generic);
  t.equal(expected.length, TARGETS.length, 'one line per response');
  t.same(accessLines(direct), expected, 'console: the same bytes');
  t.same(accessLines(file), expected, 'file: the same bytes');
  t.notOk(direct.includes(SECRET_KEY), 'the secret key in a URL is redacted');
  const entries = expected.map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(entries[0], { level: 'INFO', name: 'reinhardt.server', status_code: 200, method: 'GET', url: '/ok/', msg: '"GET /ok/ HTTP/1.1" 200 4' });
  t.match(entries[2], { url: '/ok/?q="quoted"&b=back\\slash' });
  t.match(entries[3], { url: '/ok/?key=********************' });
  t.match(entries[5], { level: 'WARNING', status_code: 404, url: '/missing/%22%0A%5C', msg: /^"GET \/missing\/%22%0A%5C HTTP\/1\.0" 404 \d+$/ });
  t.match(entries[6], { level: 'INFO', method: 'POST', status_code: 200 });
  t.match(entries[7], { level: 'ERROR', status_code: 500 });
});

t.test('the generic path still serves what pre-rendered lines cannot: text formats, no handler', async (t) => {
  const s = await site(t);
  const out = new TextCapture();
  await useLogging(
    s,
    {
      formatters: { plain: { format: '{levelname} {message} status={status_code}' } },
      handlers: { 'reinhardt.server': { class: 'console', formatter: 'plain' } },
      loggers: { 'reinhardt.server': { handlers: ['reinhardt.server'], level: 'INFO', propagate: false } },
    },
    out,
  );
  t.equal(jsonLineWriter(server, 'INFO'), undefined);
  await sendAll(s);
  t.match(out.text, /^INFO "GET \/ok\/ HTTP\/1\.1" 200 4 status=200$/m);
  t.match(out.text, /^ERROR "GET \/broken\/ HTTP\/1\.1" 500 \d+ status=500$/m);
});

/** A stream whose every write fails, as a full disk's would. */
const FAILING = {
  write(): never {
    throw new Error('disk on fire');
  },
};

/** Logging reported the failing 'broken' handler exactly once. */
function saidOnce(t: Test, errors: TextCapture): void {
  const reports = errors.text.split('\n').filter((l) => l.includes("handler 'broken'"));
  t.equal(reports.length, 1, 'said once');
  t.match(reports[0], /failed on a record from 'reinhardt\.server': Error: disk on fire/);
}

t.test('a pre-rendered writer that fails is reported once and costs the other handlers nothing', async (t) => {
  const s = await site(t);
  const good = new TextCapture();
  const errors = new TextCapture();
  await useLogging(
    s,
    {
      handlers: { broken: { class: 'console', stream: FAILING, format: 'json' }, good: { class: 'console', stream: good, format: 'json' } },
      loggers: { 'reinhardt.server': { handlers: ['broken', 'good'], level: 'INFO', propagate: false } },
    },
    new TextCapture(),
    errors,
  );
  t.ok(jsonLineWriter(server, 'INFO'));
  await sendAll(s);
  t.equal(accessLines(good.text).length, TARGETS.length, 'the good handler has every line');
  saidOnce(t, errors);
});

t.test('a lone pre-rendered writer that fails is reported once, and the site goes on answering', async (t) => {
  const s = await site(t);
  const errors = new TextCapture();
  await useLogging(
    s,
    {
      handlers: { broken: { class: 'console', stream: FAILING, format: 'json' } },
      loggers: { 'reinhardt.server': { handlers: ['broken'], level: 'INFO', propagate: false } },
    },
    new TextCapture(),
    errors,
  );
  t.ok(jsonLineWriter(server, 'INFO'));
  await sendAll(s);
  saidOnce(t, errors);
  const answer = await rawExchange(s.url, 'GET /ok/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  t.match(answer, /^HTTP\/1\.1 200 /, 'still answering');
});

t.test('the default LOGGING (DEBUG off) takes pre-rendered lines', async (t) => {
  const s = await site(t);
  const out = new TextCapture();
  await configureLogging(s.app.settings, { stream: out, errorStream: new TextCapture() });
  t.ok(jsonLineWriter(server, 'INFO'), "the 'reinhardt.server' handler and its 'server' formatter write JSON lines");
  await sendAll(s);
  const lines = accessLines(out.text);
  t.equal(lines.length, TARGETS.length);
  t.match(JSON.parse(lines[0]!), { level: 'INFO', name: 'reinhardt.server', url: '/ok/', status_code: 200 });
});

t.test('handlers that cannot take pre-rendered lines get every record the generic way', async (t) => {
  const s = await site(t);
  const errors = new TextCapture();
  // pino.multistream and its kind read pino's metadata of each line (the level it routes by).
  const metadata = Object.assign(new TextCapture(), { [Symbol.for('pino.metadata')]: true });
  const got: string[] = [];
  class Odd {
    handle(record: { msg: string }): void {
      got.push(record.msg);
    }
    jsonLines(): never {
      throw new Error('no lines here');
    }
  }
  await useLogging(
    s,
    {
      handlers: { meta: { class: 'console', stream: metadata, format: 'json' } },
      loggers: { 'reinhardt.server': { handlers: ['meta'], level: 'INFO', propagate: false } },
    },
    new TextCapture(),
  );
  t.equal(jsonLineWriter(server, 'INFO'), undefined, 'not for a stream that reads metadata');
  await sendAll(s);
  t.equal(accessLines(metadata.text).length, TARGETS.length, 'the metadata stream has every line, from pino');

  await useLogging(
    s,
    {
      handlers: { odd: { class: Odd } },
      loggers: { 'reinhardt.server': { handlers: ['odd'], level: 'INFO', propagate: false } },
    },
    new TextCapture(),
    errors,
  );
  t.equal(jsonLineWriter(server, 'INFO'), undefined, 'not for a handler whose jsonLines throws');
  await sendAll(s);
  t.equal(got.length, TARGETS.length, 'the odd handler has every record');
  const reports = errors.text.split('\n').filter((l) => l.includes("handler 'odd'"));
  t.equal(reports.length, 1, 'its failing jsonLines is said once');
  t.match(reports[0], /no lines here/);
});

t.test('durations are written as JSON writes the number of milliseconds', async (t) => {
  const wrong: number[] = [];
  for (let d = 0; d <= 300_000; d++) if (durationText(d) !== String(d / 100)) wrong.push(d);
  for (const d of [12_345_678, 999_999_999, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER, -5, 0.5, 2 ** 60]) {
    if (durationText(d) !== String(d / 100)) wrong.push(d);
  }
  t.same(wrong.slice(0, 5), [], 'the same text as String(d / 100)');
  t.equal(durationText(1205), '12.05');
  t.equal(durationText(1250), '12.5');
});

// Last in this file: a registered secret stays registered for the rest of the process.
t.test('a secret that could run across the parts of the message is redacted as the generic path does', async (t) => {
  const s = await site(t);
  // It spans the URL and the text after it: redacting the parts one by one would miss it.
  registerSecretValue('ok/ HTTP/1.1');
  const { direct, generic } = await bothPaths(t, s);
  const expected = accessLines(generic);
  t.same(accessLines(direct), expected, 'the same bytes');
  t.notOk(direct.includes('ok/ HTTP/1.1'), 'masked in the message');
  t.ok(direct.includes('"msg":"\\"GET /********************\\" 200 4"'), 'the whole message redacted');
});
