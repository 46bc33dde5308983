/**
 * collectstatic: copy (or link) every static file the finders know into STATIC_ROOT, for the
 * separate web server of Table 5-1, then let the storage hash them. Django's options, messages
 * and summary line; the work is collectStatic() in reinhardt's staticfiles.
 */
import { runSystemCheck } from '../../checks/index.js';
import { CommandError, StaticManifestError, SystemCheckError } from '../../errors.js';
import '../../staticfiles/checks.js';
import { collectStatic } from '../../staticfiles/collect.js';
import { readLine } from '../../staticfiles/prompt.js';
import { BaseCommand, type CommandContext, type OptionValues } from '../base-command.js';

const options = {
  noinput: { type: 'boolean', help: 'Do NOT prompt the user for input of any kind.' },
  'no-input': { type: 'boolean', help: 'Same as --noinput.' },
  'no-post-process': { type: 'boolean', help: 'Do NOT post process collected files.' },
  ignore: {
    type: 'string',
    short: 'i',
    multiple: true,
    metavar: 'PATTERN',
    help: 'Ignore files or directories matching this glob-style pattern. Use multiple times to ignore more.',
  },
  'dry-run': { type: 'boolean', short: 'n', help: 'Do everything except modify the filesystem.' },
  clear: {
    type: 'boolean',
    short: 'c',
    help: 'Clear the existing files using the storage before trying to copy or link the original file.',
  },
  link: { type: 'boolean', short: 'l', help: 'Create a symbolic link to each file instead of copying.' },
  'no-default-ignore': {
    type: 'boolean',
    help: "Don't ignore the common private glob-style patterns (defaults to 'CVS', '.*' and '*~').",
  },
} as const;

export default class CollectStatic extends BaseCommand<typeof options> {
  readonly help = 'Collect static files in a single location.';
  readonly options = options;

  async handle(_args: unknown, opts: OptionValues<typeof options>, ctx: CommandContext): Promise<string | void> {
    const settings = this.requireSettings(ctx);
    // Django runs the staticfiles checks first (requires_system_checks = [Tags.staticfiles]).
    const report = await runSystemCheck({ settings, baseDir: ctx.baseDir, tags: ['staticfiles'], style: this.style, displayNumErrors: false });
    if (report.failed) throw new SystemCheckError(report.text);
    if (report.text) this.stderr.write(report.text);

    const stdout = this.stdout.stream;
    let result;
    try {
      result = await collectStatic(settings, {
        interactive: !(opts.noinput || opts['no-input']),
        clear: opts.clear,
        dryRun: opts['dry-run'],
        link: opts.link,
        postProcess: !opts['no-post-process'],
        ignorePatterns: opts.ignore,
        useDefaultIgnorePatterns: !opts['no-default-ignore'],
        verbosity: ctx.verbosity,
        stdout,
        stderr: this.stderr.stream,
        confirm: async (question) => {
          stdout.write(question);
          return readLine(ctx.stdin);
        },
      });
    } catch (err) {
      // A CSS reference to a missing file, or a reference cycle: the user's to fix, not a crash.
      if (err instanceof StaticManifestError) throw new CommandError(err.message, { cause: err });
      throw err;
    }
    if (ctx.verbosity >= 1) return result.summary;
  }
}
