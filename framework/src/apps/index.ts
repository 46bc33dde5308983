export { getApps, isAppInstalled, appSubfolders, BUILTIN_APPS, type AppConfig } from './registry.js';
