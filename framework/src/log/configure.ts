/**
 * Turning LOGGING on and off for a process.
 *
 * configureLogging(settings) builds LOGGING over DEFAULT_LOGGING and installs it as the sink
 * behind getLogger(): from then on every record follows the configuration. Configuring again
 * replaces the previous configuration (its handlers are flushed and closed, its cached routes
 * dropped with it).
 *
 * flushLogging({ timeoutMs }) gives queued mail (and buffered files) a bounded time to leave;
 * the production server calls it on SIGTERM, after the last response. closeLogging() flushes,
 * closes files and timers, and puts the boot-time fallback (WARNING and above to stderr) back.
 */
import { registerSettingsSecrets } from '../conf/mask.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { type BuildOptions, type BuiltLogging, buildLogging } from './build.js';
import { drainMail } from './deferred-mail.js';
import { installSink } from './logger.js';
import { createEntryWriter, loadPino } from './pino-writer.js';
import { Router } from './router.js';

export interface ConfigureLoggingOptions extends BuildOptions {}

interface Active {
  readonly built: BuiltLogging;
  readonly router: Router;
}

let active: Active | undefined;

/**
 * Apply the settings' LOGGING (over DEFAULT_LOGGING). Throws ImproperlyConfigured, listing every
 * problem, when the configuration cannot work; the previous configuration then stays in place.
 *
 * @example
 * const settings = await loadSettings({ module: 'coffeehouse.settings.production', baseDir });
 * await configureLogging(settings);
 * getLogger('coffeehouse.stores').info('Store opened', { store_id: 3 });
 */
export async function configureLogging(settings: LoadedSettings, options: ConfigureLoggingOptions = {}): Promise<void> {
  // Records are redacted by value too: SECRET_KEY must be known even if logging is configured
  // before the app is built.
  registerSettingsSecrets(settings);
  const built = await buildLogging(settings, options);
  // The last-resort handler writes JSON lines with pino too.
  await loadPino();
  const lastResort = createEntryWriter(built.errorStream, undefined);
  const router = new Router({
    loggers: built.loggers,
    root: built.root,
    disabled: built.effective.disabled,
    kept: built.effective.kept,
    lastResort,
    errorStream: built.errorStream,
  });
  const previous = active;
  active = { built, router };
  installSink(router.sink, router.gate, router.lines);
  if (previous) void retire(previous, 5_000);
}

async function settle(promises: readonly (Promise<unknown> | unknown)[], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const all = Promise.allSettled(promises).then(() => true as const);
  const done = await Promise.race([all, timeout]);
  clearTimeout(timer);
  return done;
}

async function flushHandlers(built: BuiltLogging, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  // Handlers first: the mail handler turns its open storm windows into digests, which join the queue.
  const handlersDone = await settle(
    [...built.handlers.values()].map((h) => h.flush?.(timeoutMs)),
    timeoutMs,
  );
  const mailDone = await drainMail(Math.max(0, deadline - Date.now()));
  return handlersDone && mailDone;
}

async function retire(previous: Active, timeoutMs: number): Promise<void> {
  await flushHandlers(previous.built, timeoutMs);
  await settle(
    [...previous.built.handlers.values()].map((h) => h.close?.()),
    timeoutMs,
  );
}

/**
 * Give queued error mail, digests and buffered files up to `timeoutMs` (default 5 s) to leave.
 * Resolves true when everything left in time, false when the time ran out first.
 */
export async function flushLogging(options: { timeoutMs?: number } = {}): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  if (!active) return drainMail(timeoutMs);
  return flushHandlers(active.built, timeoutMs);
}

/**
 * Flush (as flushLogging), close every handler, and fall back to the boot-time sink (WARNING and
 * above to stderr). Resolves true when everything queued left in time.
 */
export async function closeLogging(options: { timeoutMs?: number } = {}): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const deadline = Date.now() + timeoutMs;
  const current = active;
  const flushed = await flushLogging({ timeoutMs });
  if (current && active === current) {
    active = undefined;
    installSink(undefined);
    // Closing the mail handler sends the digests of anything counted since the flush.
    await settle(
      [...current.built.handlers.values()].map((h) => h.close?.()),
      Math.max(0, deadline - Date.now()),
    );
  }
  return (await drainMail(Math.max(0, deadline - Date.now()))) && flushed;
}
