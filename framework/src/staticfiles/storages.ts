/** STATICFILES_STORAGE resolved: the built-in storages by short name, or an imported one. */
import type { LoadedSettings } from '../conf/settings-types.js';
import { type Factory, hasMethods, resolveComponent } from './components.js';
import { ManifestStorage } from './manifest-storage.js';
import { plainStorage, type StaticStorage } from './storage.js';

export const BUILTIN_STORAGES: Readonly<Record<string, Factory<StaticStorage>>> = {
  plain: () => plainStorage,
  manifest: () => new ManifestStorage(),
};

export function getStorage(settings: LoadedSettings): StaticStorage {
  return resolveComponent<StaticStorage>('STATICFILES_STORAGE', settings.STATICFILES_STORAGE, BUILTIN_STORAGES, settings, (v) =>
    hasMethods(v, 'urlResolver'),
  );
}
