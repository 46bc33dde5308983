/**
 * Settings validation: every problem in one report, each naming the setting, what it takes and
 * what was found. Unknown UPPER_CASE names are custom settings and pass; anything else that is
 * not UPPER_CASE is rejected with a hint, because Django silently ignores lower-case names and
 * that silence hides typos.
 */
import { SettingsValidationError, type SettingsProblem } from '../errors.js';
import { DEFAULT_SETTINGS } from './global-settings.js';
import { describeValue, SETTING_HINTS, SETTING_RULES } from './setting-rules.js';
import type { SettingName } from './settings-types.js';

const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

const TYPED_GETTERS_HINT =
  'Values read from INI files and environment variables are strings: use the typed getters ' +
  '(config.getBoolean/getInt/getFloat/getList, env.bool/int/list).';

export function isKnownSetting(name: string): name is SettingName {
  return Object.hasOwn(SETTING_RULES, name);
}

/** Every problem of the settings a module set (not the defaults: those are known good). */
export function findSettingsProblems(user: Readonly<Record<string, unknown>>): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const [name, value] of Object.entries(user)) {
    if (!SETTING_NAME.test(name)) {
      problems.push({ setting: name, message: lowerCaseMessage(name) });
      continue;
    }
    if (!isKnownSetting(name)) continue;
    const problem = SETTING_RULES[name].check(value);
    if (problem === undefined) continue;
    // The typed-getter hint only when the rule refused the string for being a string: a relative
    // path or a URL without its slash is the right type with the wrong content.
    const typeRefused = typeof value === 'string' && problem.includes(`found ${describeValue(value)}`);
    const hint = SETTING_HINTS[name]?.(value) ?? (typeRefused ? TYPED_GETTERS_HINT : undefined);
    problems.push({ setting: name, message: hint ? `${problem}${/[.?!]$/.test(problem) ? ' ' : '. '}${hint}` : problem });
  }
  const merged = { ...DEFAULT_SETTINGS, ...user };
  if (merged.EMAIL_USE_TLS === true && merged.EMAIL_USE_SSL === true) {
    problems.push({
      setting: 'EMAIL_USE_TLS',
      message: 'EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive, so set only one of them to true.',
    });
  }
  return problems;
}

function lowerCaseMessage(name: string): string {
  const upper = name.toUpperCase();
  const known = isKnownSetting(upper) ? `Did you mean '${upper}'?` : `Write it as '${upper}' if it is a custom setting.`;
  return `setting names must be UPPER_CASE; '${name}' would be ignored. ${known}`;
}

/** Throws one SettingsValidationError listing every problem, or returns quietly. */
export function validateSettings(user: Readonly<Record<string, unknown>>, file?: string): void {
  const problems = findSettingsProblems(user);
  if (problems.length) throw new SettingsValidationError(problems, file);
}
