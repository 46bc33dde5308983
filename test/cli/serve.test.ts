/**
 * `serve` through real processes: the DEBUG and ALLOWED_HOSTS refusals, a graceful SIGTERM during
 * a slow request, a worker killed with SIGKILL and one that throws an uncaught exception, both
 * replaced while the port keeps answering.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import t from 'tap';
import { writeSite } from '../fixtures/sites.js';
import { eventually, manage, REINHARDT_BIN, reinhardt, startServer } from '../helpers.js';

const READY = /Serving \S+ at (http:\/\/\S+\/) with \d+ workers?/;

function site(settingsExtra: string): string {
  return writeSite(t, {
    'site/settings.ts': `
import { defineSettings } from 'reinhardt/conf';
export default defineSettings({
  SECRET_KEY: 'serve-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789',
  ROOT_URLCONF: 'site.urls',
  ${settingsExtra}
});
`,
    'site/urls.ts': `
import { path } from 'reinhardt/urls';
import * as views from './views.js';
export const urlpatterns = [
  path('', views.pid),
  path('slow/', views.slow),
  path('crash/', views.crash),
];
`,
    'site/views.ts': `
import { writeFileSync } from 'node:fs';
import { HttpResponse } from 'reinhardt/http';
export function pid() { return new HttpResponse(String(process.pid)); }
export async function slow() {
  // The marker tells the test the request is in flight before it sends SIGTERM.
  if (process.env.SLOW_MARKER) writeFileSync(process.env.SLOW_MARKER, 'started');
  await new Promise((r) => setTimeout(r, 1500));
  return new HttpResponse('slow done');
}
export function crash() {
  setTimeout(() => { throw new Error('worker blew up on purpose'); }, 10);
  return new HttpResponse('crashing soon');
}
`,
  });
}

/** GET over a fresh connection (no keep-alive pool), so refusals are seen as they happen. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function refused(url: string): Promise<true | undefined> {
  return get(url).then(
    () => undefined,
    (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? true : undefined),
  );
}

function exited(child: import('node:child_process').ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

t.test('refuses DEBUG true without --allow-debug, and DEBUG false without ALLOWED_HOSTS', async (t) => {
  const debug = await manage(['serve', '--settings', 'coffeehouse.settings.development', '127.0.0.1:0']);
  t.equal(debug.code, 1);
  t.match(debug.stderr, /CommandError: DEBUG is True in coffeehouse\.settings\.development; serve refuses it/);
  t.match(debug.stderr, /--allow-debug/);

  const dir = site('DEBUG: false, ALLOWED_HOSTS: [],');
  const hosts = await reinhardt(['serve', '--settings', 'site.settings', '127.0.0.1:0'], { cwd: dir });
  t.equal(hosts.code, 1);
  t.match(hosts.stderr, 'CommandError: You must set settings.ALLOWED_HOSTS if DEBUG is False.');

  const workers = await reinhardt(['serve', '--settings', 'site.settings', '--workers', 'two'], { cwd: site("DEBUG: false, ALLOWED_HOSTS: ['127.0.0.1'],") });
  t.equal(workers.code, 1);
  t.match(workers.stderr, "--workers must be a whole number of at least 1 (got 'two')");
});

t.test('--allow-debug serves with DEBUG true', async (t) => {
  const dir = site('DEBUG: true,');
  const server = await startServer(t, [REINHARDT_BIN, 'serve', '--settings', 'site.settings', '--allow-debug', '127.0.0.1:0'], { cwd: dir, ready: READY });
  t.match(server.output(), /Serving site\.settings at http:\/\/127\.0\.0\.1:\d+\/ with 1 worker\n/);
  t.equal((await get(server.url)).status, 200);
});

t.test('SIGTERM during a slow request: it completes, new connections are refused, exit 0', async (t) => {
  const dir = site("DEBUG: false, ALLOWED_HOSTS: ['127.0.0.1'],");
  const marker = join(dir, 'slow-started');
  const { cleanEnv } = await import('../helpers.js');
  const server = await startServer(t, [REINHARDT_BIN, 'serve', '--settings', 'site.settings', '--grace', '20', '127.0.0.1:0'], {
    cwd: dir,
    env: cleanEnv({ SLOW_MARKER: marker }),
    ready: READY,
  });
  let slowDone = false;
  const slow = get(`${server.url}slow/`).finally(() => (slowDone = true));
  await eventually(async () => (existsSync(marker) ? true : undefined));
  const exit = exited(server.child);
  server.child.kill('SIGTERM');
  t.equal(await eventually(() => refused(server.url), 10_000, 20), true, 'new connections are refused');
  t.equal(slowDone, false, '...while the slow request is still running');
  const res = await slow;
  t.equal(res.status, 200);
  t.equal(res.body, 'slow done', 'the in-flight request completed');
  t.equal(await exit, 0, 'exit code 0');
  // The access log: one JSON line per response on 'reinhardt.server', the request that finished
  // during the stop included, written before the process exited.
  const lines = server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.name === 'reinhardt.server' && typeof r.status_code === 'number');
  const slowLine = lines.find((r) => r.url === '/slow/');
  t.match(slowLine, { level: 'INFO', msg: '"GET /slow/ HTTP/1.1" 200 9', status_code: 200, method: 'GET' }, 'the slow request is in the access log');
  t.ok(typeof slowLine?.duration_ms === 'number' && slowLine.duration_ms >= 1400, `its duration is measured (${String(slowLine?.duration_ms)} ms)`);
});

t.test('--workers 2: a worker killed with SIGKILL, or one that throws, is replaced; the port keeps answering', async (t) => {
  const dir = site("DEBUG: false, ALLOWED_HOSTS: ['127.0.0.1'],");
  const server = await startServer(t, [REINHARDT_BIN, 'serve', '--settings', 'site.settings', '--workers', '2', '127.0.0.1:0'], { cwd: dir, ready: READY });
  t.match(server.output(), /with 2 workers/);
  const victim = Number((await get(server.url)).body);
  t.ok(victim > 0 && victim !== server.child.pid, 'a worker, not the primary, answered');
  process.kill(victim, 'SIGKILL');
  await eventually(async () => (server.output().includes(`Worker ${victim} died (signal SIGKILL); starting a replacement.`) ? true : undefined));
  // Both the survivor and the replacement answer; the killed one never again.
  const seen = new Set<number>();
  await eventually(async () => {
    const res = await get(server.url);
    if (res.status === 200) seen.add(Number(res.body));
    return seen.size >= 2 ? true : undefined;
  });
  t.notOk(seen.has(victim), 'the killed worker is gone');

  const crash = await get(`${server.url}crash/`);
  t.equal(crash.status, 200);
  await eventually(async () => (/Uncaught exception in server process \d+ \(Error: worker blew up on purpose\)/.test(server.output()) ? true : undefined));
  await eventually(async () => (/Worker \d+ died \(exit code 1\); starting a replacement/.test(server.output()) ? true : undefined));
  await eventually(async () => ((await get(server.url)).status === 200 ? true : undefined));

  const exit = exited(server.child);
  server.child.kill('SIGTERM');
  t.equal(await exit, 0, 'the primary stops its workers and exits 0');
  t.equal(await eventually(() => refused(server.url)), true);
});
