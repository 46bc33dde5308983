/**
 * The short cuts of the log's hot path must answer what they replace: escapeControl what its
 * regular expression finds and jsonEscaped what JSON.stringify writes, for every UTF-16 code
 * unit, alone and next to the characters that need escaping, and past the short cut's length;
 * timeText what String() writes for a record's time.
 */
import t from 'tap';
import { escapeControl, jsonEscaped } from '../../../framework/src/log/escape.js';
import { timeText } from '../../../framework/src/log/pino-writer.js';

const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

function samples(): string[] {
  const out = ['', '"', '\\', '""', '\\\\', '"a', 'a"', 'a\\', '\\"\\"', 'GET /hello/ HTTP/1.1', '"GET /q?a="b"\\c HTTP/1.1" 200 13'];
  for (let code = 0; code < 0x10000; code++) {
    const c = String.fromCharCode(code);
    out.push(c, `a${c}"`, `"${c}\\`);
  }
  out.push('\ud83d\ude00 "pair"', `${'x'.repeat(127)}"`, `${'x'.repeat(128)}"`, `${'x'.repeat(129)}"`, `${'y'.repeat(300)}\n"`);
  return out;
}

t.test('jsonEscaped answers what JSON.stringify writes between its quotes', async (t) => {
  const wrong = samples().filter((s) => `"${jsonEscaped(s)}"` !== JSON.stringify(s));
  t.same(wrong.map((s) => JSON.stringify(s)).slice(0, 5), [], 'every sample');
  t.equal(jsonEscaped('a"b\\c'), 'a\\"b\\\\c');
});

t.test('escapeControl finds every control character the regular expression finds', async (t) => {
  const wrong = samples().filter((s) => (escapeControl(s) === s) === CONTROL.test(s));
  t.same(wrong.map((s) => JSON.stringify(s)).slice(0, 5), [], 'every sample');
  t.equal(escapeControl('/a\nb\u2028'), '/a\\nb\\u2028');
  const long = `${'z'.repeat(200)}\r`;
  t.equal(escapeControl(long), `${'z'.repeat(200)}\\r`, 'past the short cut');
});

t.test('timeText writes a record time as JSON writes the number', async (t) => {
  const times = [0, 5, 999_999, 1_000_000, 1_000_001, 1_764_800_000_000, 1_764_800_000_001, 1_764_800_999_999, 10 ** 15 - 1, 10 ** 15, 1.5, -3];
  for (let i = 0; i < 100_000; i++) times.push(Math.floor(Math.random() * 10 ** 15));
  const wrong = times.filter((time) => timeText(time) !== String(time));
  t.same(wrong.slice(0, 5), [], 'the same text as String(time)');
});
