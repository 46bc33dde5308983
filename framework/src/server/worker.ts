/**
 * One serving process: the app, its listening socket, and what stops it. Used directly when
 * `serve` runs with one worker, and in each cluster worker otherwise.
 *
 * It stops on SIGTERM or SIGINT, on the primary's shutdown message, and when the primary goes away
 * (so no worker is ever orphaned). An uncaught exception or unhandled rejection is logged on
 * 'reinhardt.server' and stops the process with code 1: after one, the process state cannot be
 * trusted, and a silent hang is worse than a restart (the primary, or the process manager, starts
 * a fresh one).
 */
import cluster from 'node:cluster';
import type { LoadedSettings } from '../conf/settings-types.js';
import { createApp, type ReinhardtApp } from '../http/app.js';
import { getLogger } from '../log/logger.js';
import { flushLogsAndMail } from './flush.js';
import { closeGracefully } from './graceful.js';
import { isShutdownMessage } from './messages.js';

export interface WorkerOptions {
  readonly settings: LoadedSettings;
  readonly host: string;
  readonly port: number;
  /** How long in-flight requests get once a stop begins. */
  readonly graceMs: number;
}

export interface RunningWorker {
  /** The port actually bound (port 0 asks the OS for one). */
  readonly port: number;
  /** Resolves with the process exit code once the worker has stopped and flushed. */
  readonly stopped: Promise<number>;
  /** Begin a graceful stop (what SIGTERM does). */
  stop(code?: number): Promise<number>;
}

/** Boot the app and listen. A failed bind rejects (with the listen error); nothing is left open. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const log = getLogger('reinhardt.server');
  let app: ReinhardtApp | undefined;
  let stopping: Promise<number> | undefined;
  /** A stop asked for while the app was still booting (a deploy that changed its mind quickly). */
  let pendingStop: number | undefined;
  let resolveStopped: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => (resolveStopped = resolve));

  const stop = (code = 0): Promise<number> => {
    if (!app) {
      pendingStop ??= code;
      return stopped;
    }
    const running = app;
    stopping ??= (async () => {
      uninstall();
      const started = Date.now();
      const clean = await closeGracefully(running, options.graceMs);
      if (!clean) log.warning(`Grace period of ${options.graceMs / 1000} s ended (SERVER_GRACEFUL_TIMEOUT); closed the connections still open.`, { pid: process.pid });
      // Mail and logs get what is left of the grace period, and at least a moment.
      await flushLogsAndMail(Math.max(1000, options.graceMs - (Date.now() - started)));
      resolveStopped(code);
      return code;
    })();
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    log.info(`Received ${signal}; finishing in-flight requests (up to ${options.graceMs / 1000} s).`, { pid: process.pid });
    void stop(0);
  };
  const onMessage = (message: unknown) => {
    if (isShutdownMessage(message)) void stop(0);
  };
  const onDisconnect = () => void stop(0);
  const onCrash = (err: unknown, kind: string) => {
    log.critical(`${kind} in server process ${process.pid} (${describe(err)}); stopping it so that a fresh one takes its place.`, { err, pid: process.pid });
    // If the stop itself hangs (the state is broken, after all), leave anyway.
    setTimeout(() => process.exit(1), options.graceMs + 5000).unref();
    void stop(1);
  };
  const onException = (err: unknown) => onCrash(err, 'Uncaught exception');
  const onRejection = (err: unknown) => onCrash(err, 'Unhandled promise rejection');

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  if (cluster.isWorker) {
    process.on('message', onMessage);
    process.on('disconnect', onDisconnect);
  }
  function uninstall(): void {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('message', onMessage);
    process.off('disconnect', onDisconnect);
    // A second signal during the stop is ignored rather than killing the process mid-flush;
    // the grace period bounds the wait anyway.
    process.on('SIGTERM', noop);
    process.on('SIGINT', noop);
    // uncaughtException/unhandledRejection stay installed: a crash during the stop is still logged.
  }

  // The handlers are in place before the (slow) boot, so a SIGTERM during it is not lost.
  let booting: ReinhardtApp | undefined;
  try {
    booting = await createApp(options.settings, { accessLog: true });
    await booting.fastify.listen({ host: options.host, port: options.port });
  } catch (err) {
    uninstall();
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
    await booting?.close();
    throw err;
  }
  app = booting;
  const address = booting.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  if (pendingStop !== undefined) void stop(pendingStop);
  return { port, stopped, stop };
}

function noop(): void {}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
