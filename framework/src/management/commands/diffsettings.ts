/**
 * diffsettings: what a settings module changes from the defaults (Postfix's `postconf -n`, as
 * Django puts it). Hash output marks settings that are not defaults at all with '###'; unified
 * output shows '-' default and '+' value. Secrets are always masked.
 *
 * Past Django: a setting the module sets explicitly is listed even when its value equals the
 * default (`DEBUG = false` in a production module). That is what `postconf -n` shows, and it
 * answers the question people run diffsettings for: "what does this module decide?".
 */
import { inspect } from 'node:util';
import { loadSettings } from '../../conf/load-settings.js';
import { settingsInfo } from '../../conf/settings-registry.js';
import { DEFAULT_SETTINGS } from '../../conf/global-settings.js';
import { cleanseSettings, redactSecrets, registerSettingsSecrets } from '../../conf/mask.js';
import { CommandError } from '../../errors.js';
import { BaseCommand, type CommandContext, type OptionValues } from '../base-command.js';

const options = {
  all: { type: 'boolean', help: 'Display all settings, regardless of their value. In "hash" mode, default values are prefixed by "###".' },
  default: {
    type: 'string',
    metavar: 'MODULE',
    help: "The settings module to compare the current settings against. Leave empty to compare against Reinhardt's default settings.",
  },
  output: {
    type: 'string',
    default: 'hash',
    metavar: '{hash,unified}',
    help: "Selects the output format. 'hash' mode displays each changed setting, with the settings that don't appear in the defaults followed by ###. 'unified' mode prefixes the default setting with a minus sign, followed by the changed setting prefixed with a plus sign.",
  },
} as const;

export function formatSettingValue(value: unknown): string {
  return inspect(value, { depth: 8, breakLength: Infinity, compact: true, sorted: false, maxArrayLength: 200, maxStringLength: 2000 });
}

export default class DiffSettings extends BaseCommand<typeof options> {
  readonly help = 'Displays differences between the current settings and the default settings.';
  readonly options = options;

  async handle(_args: unknown, opts: OptionValues<typeof options>, ctx: CommandContext): Promise<string> {
    const settings = this.requireSettings(ctx);
    if (opts.output !== 'hash' && opts.output !== 'unified') {
      throw new CommandError(`--output must be 'hash' or 'unified' (got '${opts.output}').`);
    }
    registerSettingsSecrets(settings);
    const defaults = opts.default ? await loadSettings({ module: opts.default, baseDir: ctx.baseDir, env: ctx.env }) : DEFAULT_SETTINGS;
    if (opts.default) registerSettingsSecrets(defaults);
    const user = cleanseSettings(settings);
    const base = cleanseSettings(defaults as Readonly<Record<string, unknown>>);
    // Against another module, only differences matter; against the defaults, what the module decides.
    const explicit = opts.default ? new Set<string>() : settingsInfo(settings).explicit;
    const lines: string[] = [];
    for (const key of Object.keys(user).sort()) {
      const value = formatSettingValue(user[key]);
      const inDefaults = Object.hasOwn(base, key);
      const defaultValue = inDefaults ? formatSettingValue(base[key]) : undefined;
      if (opts.output === 'hash') {
        if (!inDefaults) lines.push(`${key} = ${value}  ###`);
        else if (value !== defaultValue || explicit.has(key)) lines.push(`${key} = ${value}`);
        else if (opts.all) lines.push(`### ${key} = ${value}`);
      } else if (!inDefaults) {
        lines.push(this.style.SUCCESS(`+ ${key} = ${value}`));
      } else if (value !== defaultValue) {
        lines.push(this.style.ERROR(`- ${key} = ${defaultValue}`), this.style.SUCCESS(`+ ${key} = ${value}`));
      } else if (opts.all || explicit.has(key)) {
        lines.push(`  ${key} = ${value}`);
      }
    }
    return redactSecrets(lines.join('\n'));
  }
}
