/**
 * The default registry (built-ins included) and the one call commands make: run the checks and
 * lay out the report. Django's BaseCommand.check() in one function, minus the printing, which is
 * the caller's (the `check` command, or the runner before other commands).
 */
import type { AppConfig } from '../apps/registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { registerBuiltinChecks } from './builtin.js';
import { CheckLevel, type CheckMessage } from './messages.js';
import { type CheckFunction, CheckRegistry, type CheckRun, type RegisterOptions, type RunChecksOptions } from './registry.js';
import { type CheckReport, formatCheckReport, type ReportStyle } from './report.js';

/** The registry `check` uses. */
export const checkRegistry = new CheckRegistry();
registerBuiltinChecks(checkRegistry);

/**
 * Add a check to the default registry.
 *
 * @example
 * registerCheck(({ settings }) => (settings.STATIC_ROOT ? [] : [checkWarning('...', { id: 'staticfiles.W004' })]), {
 *   tags: ['staticfiles'],
 * });
 */
export function registerCheck<F extends CheckFunction>(fn: F, options: RegisterOptions = {}): F {
  return checkRegistry.register(fn, options);
}

export function runChecks(options: RunChecksOptions): Promise<CheckRun> {
  return checkRegistry.run(options);
}

export interface SystemCheckOptions {
  settings: LoadedSettings;
  baseDir: string;
  tags?: readonly string[] | null;
  apps?: readonly AppConfig[] | null;
  includeDeploymentChecks?: boolean;
  failLevel?: number;
  style?: ReportStyle;
  displayNumErrors?: boolean;
  registry?: CheckRegistry;
}

export interface SystemCheckResult extends CheckReport {
  readonly messages: readonly CheckMessage[];
  readonly silenced: readonly CheckMessage[];
}

/** Run the checks and format the report. Printing it, and failing on `failed`, is the caller's. */
export async function runSystemCheck(options: SystemCheckOptions): Promise<SystemCheckResult> {
  const registry = options.registry ?? checkRegistry;
  const run = await registry.run({
    settings: options.settings,
    baseDir: options.baseDir,
    tags: options.tags ?? null,
    apps: options.apps ?? null,
    includeDeploymentChecks: options.includeDeploymentChecks ?? false,
  });
  const report = formatCheckReport(run.messages, {
    failLevel: options.failLevel ?? CheckLevel.ERROR,
    silencedCount: run.silenced.length,
    ...(options.style ? { style: options.style } : {}),
    ...(options.displayNumErrors === undefined ? {} : { displayNumErrors: options.displayNumErrors }),
  });
  return { ...report, messages: run.messages, silenced: run.silenced };
}
