/**
 * Settings for tests: build settings in code, or derive a variant of loaded settings with a few
 * values changed (Django's override_settings). Each call returns new frozen settings; nothing
 * global is changed unless `activate` is asked for, and then `restore()` puts the old ones back.
 */
import { configureSettings } from '../conf/load-settings.js';
import { activateSettings, settingsConfigured, getSettings, settingsInfo } from '../conf/settings-registry.js';
import type { LoadedSettings, UserSettings } from '../conf/settings-types.js';

/** `base` with `overrides` applied (validated like a settings module). */
export function overrideSettings(base: LoadedSettings, overrides: UserSettings): LoadedSettings {
  const info = settingsInfo(base);
  const explicit: Record<string, unknown> = {};
  for (const key of info.explicit) explicit[key] = base[key];
  return configureSettings({ ...explicit, ...overrides }, { module: info.module, file: info.file, baseDir: info.baseDir });
}

/** Make `settings` what getSettings() answers until the returned function is called. */
export function activateForTest(settings: LoadedSettings): () => void {
  const previous = settingsConfigured() ? getSettings() : undefined;
  activateSettings(settings);
  return () => activateSettings(previous);
}
