/**
 * Loading a settings module: name it (REINHARDT_SETTINGS_MODULE or --settings), resolve the
 * dotted name against the project's base folder, import it, validate what it set, overlay it on
 * the defaults and freeze the result. Every failure is an ImproperlyConfigured that says what to
 * do next.
 */
import { relative } from 'node:path';
import { ImproperlyConfigured } from '../errors.js';
import { deepFreeze } from '../utils/freeze.js';
import { importFile, isDottedName, resolveDottedName } from '../utils/modules.js';
import { DEFAULT_SETTINGS } from './global-settings.js';
import { recordSettingsInfo } from './settings-registry.js';
import type { LoadedSettings, UserSettings } from './settings-types.js';
import { isPlainObject } from './setting-rules.js';
import { validateSettings } from './validate-settings.js';

export const SETTINGS_ENV_VAR = 'REINHARDT_SETTINGS_MODULE';

export interface LoadOptions {
  /** Dotted module name; falls back to REINHARDT_SETTINGS_MODULE. */
  module?: string | undefined;
  /** Folder dotted names are resolved against (the folder of manage.ts, or the working directory). */
  baseDir: string;
  /** Environment to read REINHARDT_SETTINGS_MODULE from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

/** The settings module's dotted name, from the option or the environment; throws if neither. */
export function settingsModuleName(options: Pick<LoadOptions, 'module' | 'env'>): string {
  const name = options.module || (options.env ?? process.env)[SETTINGS_ENV_VAR];
  if (!name) {
    throw new ImproperlyConfigured(
      `No settings module named. Either set the environment variable ${SETTINGS_ENV_VAR} ` +
        `(for example: export ${SETTINGS_ENV_VAR}=mysite.settings) or pass --settings mysite.settings.`,
      { code: 'RH_ERR_SETTINGS_NOT_NAMED' },
    );
  }
  return name;
}

export async function loadSettings(options: LoadOptions): Promise<LoadedSettings> {
  const name = settingsModuleName(options);
  if (!isDottedName(name)) {
    throw new ImproperlyConfigured(
      `Settings module '${name}' is not a dotted module name like 'mysite.settings' ` +
        `(letters, digits, '_' and '-' separated by dots; no slashes, no file extension).`,
      { code: 'RH_ERR_SETTINGS_NOT_FOUND' },
    );
  }
  const { file, tried } = resolveDottedName(name, options.baseDir);
  if (!file) {
    throw new ImproperlyConfigured(
      `Settings module '${name}' could not be found. Tried, relative to ${options.baseDir}:\n` +
        tried.map((t) => `  ${relative(options.baseDir, t)}`).join('\n'),
      { code: 'RH_ERR_SETTINGS_NOT_FOUND' },
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(file);
  } catch (err) {
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new ImproperlyConfigured(`Settings module '${name}' (${file}) raised an error while it was imported: ${detail}`, {
      code: 'RH_ERR_SETTINGS_IMPORT',
      cause: err,
    });
  }
  const user = mod.default;
  if (!isPlainObject(user)) {
    throw new ImproperlyConfigured(
      `Settings module '${name}' (${file}) must default-export its settings: export default defineSettings({ ... }).`,
      { code: 'RH_ERR_SETTINGS_INVALID' },
    );
  }
  return configureSettings(user, { module: name, file, baseDir: options.baseDir });
}

export interface ConfigureOptions {
  module?: string | null;
  file?: string | null;
  baseDir?: string;
}

/**
 * Validate `user`, overlay it on the defaults and freeze the result. Used by loadSettings and
 * directly by tests and scripts that build settings in code.
 */
export function configureSettings(user: UserSettings | Readonly<Record<string, unknown>>, options: ConfigureOptions = {}): LoadedSettings {
  const values = user as Readonly<Record<string, unknown>>;
  validateSettings(values, options.file ?? undefined);
  const merged = deepFreeze(structuredCloneSettings({ ...DEFAULT_SETTINGS, ...values })) as LoadedSettings;
  recordSettingsInfo(merged, {
    module: options.module ?? null,
    file: options.file ?? null,
    baseDir: options.baseDir ?? process.cwd(),
    explicit: new Set(Object.keys(values)),
  });
  return merged;
}

/**
 * A copy that the freeze cannot reach back through: the module's own objects (which a settings
 * module may have spread from a shared base) stay mutable for their owner. Functions, class
 * instances and RegExps are kept by reference.
 */
function structuredCloneSettings<T>(value: T): T {
  if (Array.isArray(value)) return value.map(structuredCloneSettings) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: a '__proto__' key in data must stay data.
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: structuredCloneSettings(v), enumerable: true, writable: true, configurable: true });
    }
    return out as T;
  }
  return value;
}

/** Django's message, for code that signs: an empty key must never sign anything. */
export function requireSecretKey(settings: LoadedSettings, file?: string | null): string {
  if (!settings.SECRET_KEY) {
    const where = file ? ` (${file})` : '';
    throw new ImproperlyConfigured(`The SECRET_KEY setting must not be empty${where}.`);
  }
  return settings.SECRET_KEY;
}
