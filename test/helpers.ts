/**
 * Shared test helpers: run the real CLI (manage.ts or npx reinhardt) as a child process, start a
 * real server and wait for its banner, make temp folders. Everything started is stopped in the
 * test's teardown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
export const SITE = join(REPO, 'example-site');
export const MANAGE = join(SITE, 'manage.ts');
export const REINHARDT_BIN = join(REPO, 'framework', 'bin', 'reinhardt.js');

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** Environment for children: no settings module or host name leaking in from the outer shell. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.REINHARDT_SETTINGS_MODULE;
  delete env.REINHARDT_RUN_MAIN;
  delete env.REINHARDT_HOSTNAME;
  delete env.NODE_V8_COVERAGE;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command to completion (bounded by `timeoutMs`). */
export function run(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? REPO, env: options.env ?? cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${args.join(' ')}\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** `node --import reinhardt/register example-site/manage.ts ...args` */
export function manage(args: readonly string[], options: Parameters<typeof run>[1] = {}): Promise<RunResult> {
  return run(['--import', 'reinhardt/register', MANAGE, ...args], options);
}

/** `npx reinhardt ...args` in `cwd`. */
export function reinhardt(args: readonly string[], options: Parameters<typeof run>[1] = {}): Promise<RunResult> {
  return run([REINHARDT_BIN, ...args], options);
}

export interface Server {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * Start a long-running command and wait until it prints `Starting development server at <url>`
 * (or `ready` matches). Stopped with SIGINT in teardown.
 */
export function startServer(
  t: Teardown,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; ready?: RegExp; timeoutMs?: number } = {},
): Promise<Server> {
  const ready = options.ready ?? /Starting development server at (http:\/\/\S+\/)/;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? REPO, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let settled = false;
    const stop = () =>
      new Promise<number | null>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res(child.exitCode);
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', (code) => {
          clearTimeout(killer);
          res(code);
        });
        child.kill('SIGINT');
      });
    t.teardown(stop);
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      void stop();
      reject(new Error(`server did not start: ${args.join(' ')}\n${out}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ url: m[1] ?? '', child, output: () => out, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${args.join(' ')}\n${out}`));
    });
  });
}

export function tempDir(t: Teardown, prefix = 'reinhardt-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Poll `fn` until it returns a value (or the deadline passes). For waiting on a restart, not for timing. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met in ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
