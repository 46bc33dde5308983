/**
 * serve: the production server. No auto-reload, no static files from the finders (collect them;
 * SERVE_STATIC_ROOT serves STATIC_ROOT for one-box deployments), JSON access log on
 * 'reinhardt.server', N workers sharing the port, graceful stop on SIGTERM/SIGINT.
 *
 * It refuses DEBUG = true unless --allow-debug: runserver may show a technical 500 page with
 * settings and source to whoever triggers an error, a production server must not.
 */
import cluster from 'node:cluster';
import { settingsInfo } from '../../conf/settings-registry.js';
import { CommandError } from '../../errors.js';
import { listenErrorReason, PORT_ENV, runPrimary, startWorker, WorkerBootError } from '../../server/index.js';
import { BaseCommand, type CommandContext, type OptionValues } from '../base-command.js';
import { runSystemChecks } from '../system-checks.js';
import { parseAddrPort, requireAllowedHosts } from './runserver.js';

const options = {
  workers: { type: 'string', metavar: 'N', default: '1', help: 'Number of worker processes sharing the port (node:cluster). 1 serves from this process.' },
  grace: { type: 'string', metavar: 'SECONDS', help: 'How long in-flight requests get to finish on SIGTERM/SIGINT. Default: SERVER_GRACEFUL_TIMEOUT.' },
  'allow-debug': { type: 'boolean', help: 'Serve even though DEBUG is True (it shows settings and tracebacks to visitors; never on a public address).' },
  'skip-checks': { type: 'boolean', help: 'Skip system checks.' },
} as const;

export default class Serve extends BaseCommand<typeof options> {
  readonly help = 'Starts the production server: no auto-reload, N worker processes, a graceful stop on SIGTERM.';
  override readonly args = [{ name: 'addrport', help: 'Optional port number, or ipaddr:port (default 127.0.0.1:8000)', optional: true }] as const;
  readonly options = options;

  async handle(args: Readonly<Record<string, string | string[] | undefined>>, opts: OptionValues<typeof options>, ctx: CommandContext): Promise<void> {
    const settings = this.requireSettings(ctx);
    const module = settingsInfo(settings).module ?? '(configured in code)';
    if (settings.DEBUG && !opts['allow-debug']) {
      throw new CommandError(
        `DEBUG is True in ${module}; serve refuses it because DEBUG pages show settings, source and tracebacks to visitors. ` +
          'Set DEBUG to false for production, use runserver for development, or pass --allow-debug to serve anyway.',
      );
    }
    requireAllowedHosts(settings);
    const address = parseAddrPort(args.addrport as string | undefined, false);
    const workers = parseWorkers(opts.workers);
    const graceMs = parseGrace(opts.grace, settings.SERVER_GRACEFUL_TIMEOUT) * 1000;

    // A cluster worker re-runs this command line: it serves on the port the primary chose and
    // prints nothing (the primary prints the ready line once).
    const workerPort = ctx.env[PORT_ENV];
    if (cluster.isWorker && workerPort !== undefined) {
      return this.serveHere(settings, address.host, Number(workerPort), graceMs);
    }

    if (!opts['skip-checks']) await runSystemChecks(settings, ctx, this);
    const ready = (port: number) => this.stdout.write(`Serving ${module} at http://${address.display}:${port}/ with ${workers} worker${workers === 1 ? '' : 's'}`);

    if (workers === 1) return this.serveHere(settings, address.host, address.port, graceMs, ready);
    let code: number;
    try {
      code = await runPrimary({ workers, host: address.host, port: address.port, graceMs, onReady: ready });
    } catch (err) {
      if (err instanceof WorkerBootError) throw new CommandError(err.message);
      throw err;
    }
    exitSoon(code);
  }

  private async serveHere(settings: Parameters<typeof startWorker>[0]['settings'], host: string, port: number, graceMs: number, ready?: (port: number) => void): Promise<void> {
    let running;
    try {
      running = await startWorker({ settings, host, port, graceMs });
    } catch (err) {
      throw new CommandError(`Error: ${listenErrorReason(err)}`);
    }
    ready?.(running.port);
    const code = await running.stopped;
    exitSoon(code);
    if (code !== 0) throw new CommandError('The server stopped after an uncaught error (logged above).', { returncode: code });
  }
}

/** Workers count: a whole number from 1 up. */
function parseWorkers(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(n) || n < 1) throw new CommandError(`--workers must be a whole number of at least 1 (got '${text}').`);
  return n;
}

/** Grace period in seconds, from --grace or SERVER_GRACEFUL_TIMEOUT. */
function parseGrace(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new CommandError(`--grace must be a number of seconds, 0 or more (got '${text}').`);
  return n;
}

/**
 * The server has stopped and flushed; if some library still holds the event loop open (a timer,
 * a socket pool), leave anyway after a moment instead of hanging a deploy.
 */
function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 250).unref();
}
