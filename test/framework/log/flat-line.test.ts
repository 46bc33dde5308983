/**
 * Flat records are written without pino: the bytes must be pino's, for every kind of value a
 * flat field can hold, so that a log collector cannot tell the two paths apart (but for lone
 * surrogates, which this path escapes as valid JSON).
 */
import t from 'tap';
import { createEntryWriter } from '../../../framework/src/log/pino-writer.js';
import { prepareRecord } from '../../../framework/src/log/prepare.js';
import type { LogRecord } from '../../../framework/src/log/logger.js';

class Lines {
  lines: string[] = [];
  write(text: string): boolean {
    this.lines.push(text);
    return true;
  }
}

function record(msg: string, extra: Record<string, unknown>, name = 'reinhardt.server'): LogRecord {
  return { name, level: 'INFO', levelNo: 20, msg, time: 1_796_000_000_123, extra, err: undefined };
}

const cases: [string, LogRecord][] = [
  ['an access line', record('"GET /hello/ HTTP/1.1" 200 13', { status_code: 200, method: 'GET', url: '/hello/', duration_ms: 0.42 })],
  ['quotes, backslashes and control characters', record('a "b" \\ c\n\t\u0001', { s: 'x"y\\z\r\n\u001f\u007f' })],
  ['non-ASCII and astral text', record('café ☕', { s: 'naïve — 日本 😀', e: '' })],
  ['numbers', record('n', { a: 0, b: -0, c: 1e21, d: 1.5e-7, e: Number.NaN, f: Infinity, g: -Infinity, h: 123456789.125 })],
  ['booleans, null and undefined', record('b', { t: true, f: false, n: null, u: undefined })],
  ['masked and reserved names', record('m', { sessionid: 'abc', api_key: 'k', level: 'x', msg: 'y', authorization: 'Bearer z' })],
  ['no fields', record('bare', {})],
  ['another logger', record('x', { a: 1 }, 'coffeehouse.stores')],
];

t.test('flat records: the same bytes as pino', async (t) => {
  for (const [label, r] of cases) {
    const fast = new Lines();
    const slow = new Lines();
    const prepared = prepareRecord(r);
    createEntryWriter(fast, undefined)(prepared);
    createEntryWriter(slow, undefined, { flatLines: false })(prepared);
    t.equal(fast.lines.join(''), slow.lines.join(''), label);
    t.doesNotThrow(() => JSON.parse(fast.lines.join('')), `${label}: valid JSON`);
  }
});

t.test('a lone surrogate: escaped as JSON.stringify does, where pino writes it raw (U+FFFD once encoded)', async (t) => {
  const r = record('\ud800 \u2028 \u2029', { s: '\udfff' });
  const fast = new Lines();
  const slow = new Lines();
  createEntryWriter(fast, undefined)(prepareRecord(r));
  createEntryWriter(slow, undefined, { flatLines: false })(prepareRecord(r));
  t.match(fast.lines[0], /"s":"\\udfff"/, 'escaped, so the line is valid UTF-8 JSON that keeps the value');
  t.same(JSON.parse(fast.lines[0]!), JSON.parse(slow.lines[0]!), 'the same value as pino\'s line');
});

t.test('records with an error or nested fields still go through pino', async (t) => {
  const lines = new Lines();
  const write = createEntryWriter(lines, undefined);
  write(prepareRecord({ ...record('boom', { nested: { a: [1, 2] } }), err: new Error('kaput') }));
  const entry = JSON.parse(lines.lines.join('')) as Record<string, unknown>;
  t.same(entry.nested, { a: [1, 2] });
  t.match(entry.err, { type: 'Error', message: 'kaput' });
});
