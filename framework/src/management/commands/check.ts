/**
 * `check [app_label ...] [--tag TAGS] [--list-tags] [--deploy] [--fail-level LEVEL]`: Django's
 * check command. Issues below the fail level are printed to stderr and the command succeeds; at
 * or above it, the report travels in a SystemCheckError that the runner prints as it is and
 * exits 1. A clean run prints "System check identified no issues (N silenced)." to stdout.
 */
import { getApps } from '../../apps/registry.js';
import type { AppConfig } from '../../apps/registry.js';
import { CHECK_LEVEL_NAMES, CheckLevel, type CheckLevelName } from '../../checks/messages.js';
import type { CheckRegistry } from '../../checks/registry.js';
import { checkRegistry, runSystemCheck } from '../../checks/run.js';
import { CommandError, SystemCheckError } from '../../errors.js';
import '../../staticfiles/checks.js';
import { type ArgSpec, BaseCommand, type CommandContext, type OptionSpecs, type OptionValues } from '../base-command.js';

const options = {
  tag: { type: 'string', short: 't', multiple: true, metavar: 'TAGS', help: 'Run only checks labeled with given tag.' },
  'list-tags': { type: 'boolean', help: 'List available tags.' },
  deploy: { type: 'boolean', help: 'Check deployment settings.' },
  'fail-level': {
    type: 'string',
    default: 'ERROR',
    metavar: '{CRITICAL,ERROR,WARNING,INFO,DEBUG}',
    help: 'Message level that will cause the command to exit with a non-zero status. Default is ERROR.',
  },
} as const satisfies OptionSpecs;

type Options = typeof options;

function isLevelName(name: string): name is CheckLevelName {
  return (CHECK_LEVEL_NAMES as readonly string[]).includes(name);
}

export default class CheckCommand extends BaseCommand<Options> {
  readonly help = 'Checks the entire Reinhardt project for potential problems.';
  override readonly args: readonly ArgSpec[] = [
    { name: 'app_label', help: 'Check only these installed apps.', optional: true, variadic: true },
  ];
  readonly options = options;
  /** The checks to run; tests may give their own registry. */
  registry: CheckRegistry = checkRegistry;

  async handle(
    args: Readonly<Record<string, string | string[] | undefined>>,
    opts: OptionValues<Options>,
    ctx: CommandContext,
  ): Promise<void> {
    const settings = this.requireSettings(ctx);
    const deploy = opts.deploy === true;

    const failLevelName = opts['fail-level'] ?? 'ERROR';
    if (!isLevelName(failLevelName)) {
      throw new CommandError(
        `argument --fail-level: invalid choice: '${failLevelName}' (choose from ${CHECK_LEVEL_NAMES.map((n) => `'${n}'`).join(', ')})`,
      );
    }

    if (opts['list-tags'] === true) {
      this.stdout.write(this.registry.tagsAvailable(deploy).join('\n'));
      return;
    }

    const labels = toList(args['app_label']);
    const apps = labels.length ? selectApps(ctx, labels) : null;

    const tags = opts.tag ?? [];
    const unknown = tags.find((tag) => !this.registry.tagExists(tag, deploy));
    if (unknown !== undefined) throw new CommandError(`There is no system check with the "${unknown}" tag.`);

    const result = await runSystemCheck({
      settings,
      baseDir: ctx.baseDir,
      tags: tags.length ? tags : null,
      apps,
      includeDeploymentChecks: deploy,
      failLevel: CheckLevel[failLevelName],
      style: this.style,
      displayNumErrors: true,
      registry: this.registry,
    });
    if (result.failed) throw new SystemCheckError(result.text);
    // Already styled line by line: the stderr writer must not paint it all red.
    if (result.stream === 'stderr') this.stderr.write(result.text, { style: (t) => t });
    else this.stdout.write(result.text);
  }
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function selectApps(ctx: CommandContext, labels: readonly string[]): AppConfig[] {
  const settings = ctx.settings;
  const installed = settings ? getApps(settings) : [];
  return labels.map((label) => {
    const app = installed.find((a) => a.label === label);
    if (!app) throw new CommandError(`No installed app with label '${label}'.`);
    return app;
  });
}
