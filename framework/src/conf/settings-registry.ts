/**
 * What is known about a loaded settings object besides its values: the module it came from, its
 * file, and which names that module set (diffsettings needs them). Kept beside the frozen object
 * rather than on it, so the settings stay plain data.
 *
 * The active settings are bound once at boot. Framework code is handed its settings; the
 * accessor exists for site code (views, commands) and fails loudly before boot.
 */
import { ImproperlyConfigured } from '../errors.js';
import type { LoadedSettings } from './settings-types.js';

export interface SettingsInfo {
  /** Dotted module name, or null for settings built in code (tests, configureSettings). */
  readonly module: string | null;
  readonly file: string | null;
  /** The folder dotted names (ROOT_URLCONF, INSTALLED_APPS) are resolved against. */
  readonly baseDir: string;
  /** The names the settings module itself set, in its order. */
  readonly explicit: ReadonlySet<string>;
}

const infos = new WeakMap<object, SettingsInfo>();
let active: LoadedSettings | undefined;

export function recordSettingsInfo(settings: LoadedSettings, info: SettingsInfo): void {
  infos.set(settings, info);
}

export function settingsInfo(settings: LoadedSettings): SettingsInfo {
  const info = infos.get(settings);
  if (!info) throw new ImproperlyConfigured('These settings were not made by loadSettings() or configureSettings().');
  return info;
}

/** Bind the settings that getSettings() answers. Called by the command runner and the test utilities. */
export function activateSettings(settings: LoadedSettings | undefined): void {
  active = settings;
}

/** The site's settings. Throws before a settings module has been loaded. */
export function getSettings(): LoadedSettings {
  if (!active) {
    throw new ImproperlyConfigured(
      'Settings are not configured. Name a settings module with the REINHARDT_SETTINGS_MODULE environment variable ' +
        'or the --settings option, or call configureSettings() before reading settings.',
      { code: 'RH_ERR_SETTINGS_NOT_CONFIGURED' },
    );
  }
  return active;
}

export function settingsConfigured(): boolean {
  return active !== undefined;
}
