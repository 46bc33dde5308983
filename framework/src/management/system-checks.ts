/** System checks as commands run them before they start (runserver, serve): print, and stop on errors. */
import { runSystemCheck } from '../checks/index.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { SystemCheckError } from '../errors.js';
import '../staticfiles/checks.js';
import type { BaseCommand, CommandContext } from './base-command.js';

export async function runSystemChecks(settings: LoadedSettings, ctx: CommandContext, command: BaseCommand): Promise<void> {
  const report = await runSystemCheck({ settings, baseDir: ctx.baseDir, style: command.style, displayNumErrors: true });
  if (report.failed) throw new SystemCheckError(report.text);
  command.stdout.write(report.text);
}
