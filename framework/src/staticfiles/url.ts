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

export function createStaticUrlResolver(settings: LoadedSettings): StaticUrlResolver {
  requireStaticUrl(settings);
  return getStorage(settings).urlResolver(settings);
}
