/**
 * The console's own stdout and stderr are written in batches of bytes (log/line-batch.ts): lines
 * stay whole and in order, non-ASCII text is encoded once, a batch handed over is never written
 * into again, and a process's last lines still reach the file descriptor when it exits.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { LineBatch } from '../../../framework/src/log/line-batch.js';
import { cleanEnv, REPO, tempDir } from '../../helpers.js';

/** A target that keeps what it was handed, as SonicBoom in buffer mode keeps what it has not written. */
function keeper(): { chunks: Buffer[]; write(bytes: Buffer): boolean } {
  const chunks: Buffer[] = [];
  return {
    chunks,
    write(bytes: Buffer) {
      chunks.push(bytes);
      return true;
    },
  };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

t.test('lines of one turn are one write, whole and in order, in UTF-8', async (t) => {
  const target = keeper();
  const batch = new LineBatch(target);
  batch.write('caf\u00e9 \ud83d\ude00\n');
  batch.write('second\n');
  batch.write('\u2028third\n');
  t.equal(target.chunks.length, 0, 'nothing written before the end of the turn');
  await nextTurn();
  t.equal(target.chunks.length, 1, 'one write for the turn');
  t.equal(target.chunks[0]!.toString('utf8'), 'caf\u00e9 \ud83d\ude00\nsecond\n\u2028third\n');

  batch.write('fourth\n');
  await nextTurn();
  t.equal(target.chunks[0]!.toString('utf8'), 'caf\u00e9 \ud83d\ude00\nsecond\n\u2028third\n', 'a batch handed over is not written into again');
  t.equal(target.chunks[1]!.toString('utf8'), 'fourth\n');
});

t.test('a batch is written at once past 16 KiB, and a line longer than the buffer is taken whole', async (t) => {
  const target = keeper();
  const batch = new LineBatch(target);
  const line = `${'a'.repeat(99)}\n`;
  for (let i = 0; i < 164; i++) batch.write(line);
  t.equal(target.chunks.length, 1, 'written when the batch reached 16 KiB');
  t.equal(target.chunks[0]!.length, 16_400);
  const huge = `${'\u00e9'.repeat(100_000)}\n`;
  batch.write('before\n');
  batch.write(huge);
  t.equal(target.chunks.length, 2);
  t.equal(target.chunks[1]!.toString('utf8'), `before\n${huge}`, 'the line, after what was already gathered');
  batch.write('after\n');
  batch.drain();
  t.equal(target.chunks[2]!.toString('utf8'), 'after\n', 'the buffer is usable again');
  batch.drain();
  t.equal(target.chunks.length, 3, 'an empty batch writes nothing');
});

t.test("a process's lines on stdout and stderr through the console handler, the last ones at exit", async (t) => {
  const dir = tempDir(t);
  const script = join(dir, 'log-and-exit.mts');
  const src = (path: string) => JSON.stringify(pathToFileURL(join(REPO, path)).href);
  writeFileSync(
    script,
    `
import { configureSettings } from ${src('framework/src/conf/load-settings.ts')};
import { configureLogging, getLogger } from ${src('framework/src/log/index.ts')};
const settings = configureSettings({
  SECRET_KEY: 'line-batch-test-key-0123456789-abcdefghijklmnopqrstuvwxyz',
  LOGGING: {
    handlers: { out: { class: 'console', stream: 'stdout', format: 'json' }, err: { class: 'console', stream: 'stderr', format: 'json' } },
    loggers: { shop: { handlers: ['out'], level: 'INFO', propagate: false }, alarm: { handlers: ['err'], level: 'INFO', propagate: false } },
  },
});
await configureLogging(settings);
const shop = getLogger('shop');
for (let i = 0; i < 500; i++) shop.info('caf\\u00e9 ' + i, { n: i });
getLogger('alarm').error('on stderr');
setImmediate(() => {
  shop.info('x'.repeat(50_000) + '\\u00e9', { n: 500 });
  shop.info('last, logged just before exit', { n: 501 });
  process.exit(0);
});
`,
  );
  const child = spawn(process.execPath, ['--import', 'reinhardt/register', script], { cwd: REPO, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  t.equal(code, 0, Buffer.concat(err).toString('utf8'));
  const lines = Buffer.concat(out).toString('utf8').split('\n');
  t.equal(lines.pop(), '', 'ends with a whole line');
  const records = lines.map((l) => JSON.parse(l) as { n: number; msg: string; name: string });
  t.same(records.map((r) => r.n), [...Array(502).keys()], 'every line, in order');
  t.equal(records[7]!.msg, 'caf\u00e9 7');
  t.equal(records[500]!.msg, `${'x'.repeat(50_000)}\u00e9`);
  t.equal(records[501]!.msg, 'last, logged just before exit', 'written at exit');
  const errors = Buffer.concat(err).toString('utf8').split('\n').filter((l) => l.startsWith('{'));
  t.match(JSON.parse(errors[0]!), { name: 'alarm', level: 'ERROR', msg: 'on stderr' });
});
