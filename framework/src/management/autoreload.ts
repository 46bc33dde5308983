/**
 * runserver's auto-reloader. The parent process watches the project's source files and runs the
 * server in a child process; on a change it stops the child and starts a fresh one, so new code
 * is loaded by a new module graph (ESM modules cannot be unloaded in place). A child that fails
 * to start (a syntax error) is restarted on the next change, like Django's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type FSWatcher, watch } from 'node:fs';
import { extname, sep } from 'node:path';

export const RUN_MAIN_ENV_VAR = 'REINHARDT_RUN_MAIN';

const WATCHED = new Set(['.ts', '.mts', '.js', '.mjs', '.json', '.cfg', '.ini', '.env']);
const IGNORED = [`${sep}node_modules${sep}`, `${sep}.git${sep}`, `${sep}dist${sep}`];

export function isReloaderChild(env: NodeJS.ProcessEnv): boolean {
  return env[RUN_MAIN_ENV_VAR] === 'true';
}

export interface ReloaderOptions {
  /** Folders to watch, recursively. */
  roots: readonly string[];
  /** Folders whose changes are ignored (STATIC_ROOT, ...). */
  ignore?: readonly string[];
  env: NodeJS.ProcessEnv;
  onRestart?: (file: string) => void;
}

/**
 * Run the current command line in a child with REINHARDT_RUN_MAIN=true, restarting it on changes.
 * Resolves with the exit code when the parent is interrupted.
 */
export function runWithReloader(options: ReloaderOptions): Promise<number> {
  const args = [...process.execArgv, ...process.argv.slice(1)];
  let child: ChildProcess | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];

  const start = () => {
    child = spawn(process.execPath, args, {
      stdio: 'inherit',
      env: { ...options.env, [RUN_MAIN_ENV_VAR]: 'true' },
    });
    child.on('exit', () => {
      child = undefined;
    });
  };

  const stopChild = (): Promise<void> =>
    new Promise((resolve) => {
      const c = child;
      if (!c || c.exitCode !== null) return resolve();
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.kill('SIGTERM');
    });

  const onChange = (file: string) => {
    if (stopping) return;
    if (!WATCHED.has(extname(file)) || IGNORED.some((part) => file.includes(part))) return;
    if (options.ignore?.some((dir) => file.startsWith(dir + sep))) return;
    clearTimeout(restartTimer);
    // Editors write files in bursts (write, rename, chmod): restart once per burst.
    restartTimer = setTimeout(() => {
      options.onRestart?.(file);
      void stopChild().then(() => {
        if (!stopping) start();
      });
    }, 150);
  };

  for (const root of options.roots) {
    const w = watch(root, { recursive: true }, (_event, name) => {
      if (name) onChange(`${root}${sep}${name.toString()}`);
    });
    w.on('error', () => undefined);
    watchers.push(w);
  }
  start();

  return new Promise((resolve) => {
    const shutdown = () => {
      if (stopping) return;
      stopping = true;
      clearTimeout(restartTimer);
      for (const w of watchers) w.close();
      void stopChild().then(() => resolve(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}
