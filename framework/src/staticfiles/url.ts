/**
 * The `static('css/site.css')` helper the template engine calls. Made once per site (the
 * manifest, when there is one, is read here and never per call):
 * - plain storage, or DEBUG: STATIC_URL + path;
 * - manifest storage with DEBUG false: STATIC_URL + the hashed name from staticfiles.json, and a
 *   StaticManifestError naming the path when the manifest has no entry for it.
 * STATIC_URL may be an absolute CDN URL. Path segments are percent-encoded; a `?query` or
 * `#fragment` the template wrote is kept.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import { requireStaticUrl } from './static-settings.js';
import { getStorage } from './storages.js';

export type StaticUrlResolver = (path: string) => string;

/** Distinct paths remembered; templates ask for the same handful on every page. */
const CACHE_LIMIT = 2000;

export function createStaticUrlResolver(settings: LoadedSettings): StaticUrlResolver {
  requireStaticUrl(settings);
  const resolve = getStorage(settings).urlResolver(settings);
  // The answer for a path is fixed once the site has booted (the manifest is read at boot), so
  // each is worked out once; a path that fails is not remembered and fails again.
  const cache = new Map<string, string>();
  return (path) => {
    let url = cache.get(path);
    if (url === undefined) {
      url = resolve(path);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(path, url);
    }
    return url;
  };
}
