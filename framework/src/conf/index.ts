/**
 * reinhardt/conf: settings. Define them with defineSettings(), compute paths with projectPaths(),
 * pick an environment with hostEnvironment(), read INI files with readConfig() and environment
 * variables with env.
 */
export { defineSettings } from './define-settings.js';
export { DEFAULT_SETTINGS, DEFAULT_SETTINGS_BY_SECTION } from './global-settings.js';
export { projectPaths, type ProjectPaths } from './project-paths.js';
export { hostEnvironment, currentHostname, HOSTNAME_ENV_VAR } from './host-environment.js';
export { readConfig, parseConfig, Config, type ConfigOptions } from './ini-config.js';
export { env, createEnv, type Env, type EnvOptions } from './env.js';
export { loadSettings, configureSettings, requireSecretKey, settingsModuleName, SETTINGS_ENV_VAR } from './load-settings.js';
export { getSettings, settingsConfigured, settingsInfo, type SettingsInfo } from './settings-registry.js';
export { cleanse, cleanseSettings, redactSecrets, MASK } from './mask.js';
export type * from './settings-types.js';
