/**
 * findstatic: which file a static path resolves to, as collectstatic and the DEBUG server would
 * pick it — every match by default, the winner with --first. Django's output, including the
 * searched folders at verbosity 2.
 */
import { realpathSync } from 'node:fs';
import { findStatic, getFinders } from '../../staticfiles/finders.js';
import { BaseCommand, type CommandContext, type OptionValues } from '../base-command.js';

const options = {
  first: { type: 'boolean', help: 'Only return the first match for each static file.' },
} as const;

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export default class FindStatic extends BaseCommand<typeof options> {
  readonly help = 'Finds the absolute paths for the given static file(s).';
  override readonly args = [{ name: 'staticfile', help: 'A static file path, relative to STATIC_URL (e.g. css/site.css).', variadic: true }] as const;
  readonly options = options;

  handle(args: Readonly<Record<string, string | string[] | undefined>>, opts: OptionValues<typeof options>, ctx: CommandContext): string {
    const settings = this.requireSettings(ctx);
    const labels = ([] as string[]).concat(args.staticfile ?? []);
    const finders = getFinders(settings);
    const outputs: string[] = [];
    for (const label of labels) {
      const { matches, searchedLocations } = findStatic(settings, label, { all: !opts.first, finders });
      const searched = ctx.verbosity >= 2 ? `\nLooking in the following locations:\n  ${searchedLocations.join('\n  ')}` : '';
      if (matches.length) {
        const files = matches.map(real);
        outputs.push(ctx.verbosity >= 1 ? `Found '${label}' here:\n  ${files.join('\n  ')}${searched}` : files.join('\n'));
      } else if (ctx.verbosity >= 1) {
        this.stderr.write(`No matching file found for '${label}'.${ctx.verbosity >= 2 ? `\n${searched}` : ''}`);
      }
    }
    return outputs.join('\n');
  }
}
