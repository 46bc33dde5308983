/**
 * The cluster primary of `serve --workers N`: it forks N workers that share one listening port
 * (node:cluster hands connections out round-robin), replaces a worker that dies, and on SIGTERM
 * or SIGINT asks every worker to stop gracefully and waits for them.
 *
 * The primary serves no requests itself; it re-runs the same command line in each worker (Node's
 * cluster default), with the chosen port in the environment.
 */
import cluster, { type Worker } from 'node:cluster';
import { getLogger } from '../log/logger.js';
import { flushLogsAndMail } from './flush.js';
import { pickFreePort } from './free-port.js';
import { PORT_ENV, SHUTDOWN } from './messages.js';

export interface PrimaryOptions {
  readonly workers: number;
  readonly host: string;
  readonly port: number;
  readonly graceMs: number;
  /** Called once, when every first-generation worker listens. */
  onReady(port: number): void;
}

export class WorkerBootError extends Error {}

/** Run the cluster; resolves with the exit code after a graceful stop. */
export async function runPrimary(options: PrimaryOptions): Promise<number> {
  const log = getLogger('reinhardt.server');
  const port = options.port === 0 ? await pickFreePort(options.host) : options.port;
  const env = { [PORT_ENV]: String(port) };

  let ready = false;
  let stopping = false;
  let listening = 0;
  const listeningIds = new Set<number>();
  /** Deaths close together slow the replacements down, so a crash loop cannot spin a core. */
  let recentDeaths: number[] = [];

  return new Promise<number>((resolve, reject) => {
    const fork = () => cluster.fork(env);

    cluster.on('listening', (worker: Worker) => {
      listeningIds.add(worker.id);
      listening += 1;
      if (!ready && listening >= options.workers) {
        ready = true;
        options.onReady(port);
      }
    });

    cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) void finish();
        return;
      }
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      if (!ready) {
        // A worker that cannot boot will not boot on a second try either (bad bind, bad site):
        // stop the others and say so instead of looping.
        stopping = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
        reject(new WorkerBootError(`A server worker (pid ${worker.process.pid}) stopped during start-up (${how}); see the messages above.`));
        return;
      }
      const now = Date.now();
      recentDeaths = [...recentDeaths.filter((t) => now - t < 10_000), now];
      const delay = recentDeaths.length <= 1 ? 0 : Math.min(5000, 100 * 2 ** (recentDeaths.length - 2));
      log.error(`Worker ${worker.process.pid} died (${how}); starting a replacement${delay ? ` in ${delay} ms` : ''}.`, {
        pid: worker.process.pid,
        exit_code: code,
        signal,
      });
      setTimeout(() => {
        if (!stopping) fork();
      }, delay);
    });

    let finished = false;
    const finish = async () => {
      if (finished) return;
      finished = true;
      clearTimeout(killTimer);
      await flushLogsAndMail(1000);
      resolve(0);
    };
    let killTimer: NodeJS.Timeout | undefined;

    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.on('SIGTERM', () => {});
      process.on('SIGINT', () => {});
      if (stopping) return;
      stopping = true;
      log.info(`Received ${signal}; stopping ${options.workers} worker(s) gracefully.`, { pid: process.pid });
      const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      if (alive.length === 0) return void finish();
      for (const w of alive) {
        // The IPC message rather than a signal: it works the same on every platform. A worker
        // that already got the terminal's SIGINT treats this as the same stop.
        // One still booting may not listen for messages yet; a signal reaches it either way.
        if (w.isConnected() && listeningIds.has(w.id)) w.send({ cmd: SHUTDOWN });
        else w.process.kill('SIGTERM');
      }
      // Workers bound themselves by the grace period; this only catches one that hangs anyway.
      killTimer = setTimeout(() => {
        for (const w of Object.values(cluster.workers ?? {})) {
          log.warning(`Worker ${w?.process.pid} did not stop within the grace period; killing it.`);
          w?.process.kill('SIGKILL');
        }
      }, options.graceMs + 5000);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);

    for (let i = 0; i < options.workers; i++) fork();
  });
}
