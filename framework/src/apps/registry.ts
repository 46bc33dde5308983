/**
 * INSTALLED_APPS resolved to folders. A user app is a dotted name under the project's base folder
 * (`stores` -> `<BASE_DIR>/stores/`); it may hold `urls.ts`, `templates/`, `static/` and
 * `commands/`. Built-in apps (`reinhardt.contrib.*`) switch features on and have no folder.
 */
import { basename, join } from 'node:path';
import { settingsInfo } from '../conf/settings-registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { ImproperlyConfigured } from '../errors.js';
import { isDottedName, resolveDottedFolder } from '../utils/modules.js';

export interface AppConfig {
  /** The INSTALLED_APPS entry: 'stores', 'reinhardt.contrib.staticfiles'. */
  readonly name: string;
  /** The last part of the name: 'stores', 'staticfiles'. */
  readonly label: string;
  /** The app's folder; null for built-in apps. */
  readonly path: string | null;
  readonly builtin: boolean;
}

export const BUILTIN_APPS = ['reinhardt.contrib.staticfiles', 'reinhardt.contrib.sessions', 'reinhardt.contrib.messages'] as const;

const cache = new WeakMap<object, readonly AppConfig[]>();

/** The installed apps in INSTALLED_APPS order; throws naming the entry and the folder tried. */
export function getApps(settings: LoadedSettings): readonly AppConfig[] {
  const cached = cache.get(settings);
  if (cached) return cached;
  const { baseDir } = settingsInfo(settings);
  const apps = settings.INSTALLED_APPS.map((name): AppConfig => {
    const label = name.split('.').pop() ?? name;
    if (name.startsWith('reinhardt.')) {
      if (!(BUILTIN_APPS as readonly string[]).includes(name)) {
        throw new ImproperlyConfigured(`INSTALLED_APPS: '${name}' is not a built-in app. Built-in apps: ${BUILTIN_APPS.join(', ')}.`);
      }
      return { name, label, path: null, builtin: true };
    }
    if (!isDottedName(name)) {
      throw new ImproperlyConfigured(`INSTALLED_APPS: '${name}' is not a dotted name like 'stores' or 'shop.orders'.`);
    }
    const path = resolveDottedFolder(name, baseDir);
    if (!path) {
      throw new ImproperlyConfigured(`INSTALLED_APPS: app '${name}' has no folder; tried ${join(baseDir, ...name.split('.'))}.`);
    }
    return { name, label: basename(path), path, builtin: false };
  });
  const labels = new Set<string>();
  for (const app of apps) {
    if (labels.has(app.label)) throw new ImproperlyConfigured(`INSTALLED_APPS: two apps are labelled '${app.label}'; app labels must be unique.`);
    labels.add(app.label);
  }
  const frozen = Object.freeze(apps);
  cache.set(settings, frozen);
  return frozen;
}

export function isAppInstalled(settings: LoadedSettings, name: string): boolean {
  return settings.INSTALLED_APPS.includes(name);
}

/** Folders of user apps that contain `sub` (e.g. 'templates', 'static'), in INSTALLED_APPS order. */
export function appSubfolders(settings: LoadedSettings, sub: string): { app: AppConfig; dir: string }[] {
  const out: { app: AppConfig; dir: string }[] = [];
  for (const app of getApps(settings)) {
    if (app.path) out.push({ app, dir: join(app.path, sub) });
  }
  return out;
}
