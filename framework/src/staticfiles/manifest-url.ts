/**
 * The template helper for the manifest storage in production: `css/site.css` ->
 * STATIC_URL + `css/site.55e7cbb9ba48.css`, from staticfiles.json read once when the resolver is
 * made (never per call). Strict like Django's `manifest_strict`: a path the manifest does not
 * know is a StaticManifestError naming it, because a silently unhashed URL would be cached
 * forever by browsers and CDNs and then go stale.
 */
import { join, posix } from 'node:path';
import type { LoadedSettings } from '../conf/settings-types.js';
import { StaticManifestError } from '../errors.js';
import { MANIFEST_NAME, readManifest } from './manifest-file.js';
import { joinStaticUrl, requireStaticRoot, requireStaticUrl, splitPathSuffix } from './static-settings.js';

export function manifestUrlResolver(settings: LoadedSettings): (path: string) => string {
  const staticUrl = requireStaticUrl(settings);
  const staticRoot = requireStaticRoot(settings);
  const manifest = readManifest(staticRoot);
  const paths = manifest?.paths;
  const where = join(staticRoot, MANIFEST_NAME);
  return (path) => {
    const [file, suffix] = splitPathSuffix(path);
    let clean = file.trim().replace(/^\/+/, '');
    try {
      clean = decodeURIComponent(clean);
    } catch {
      // not percent-encoded after all; look it up as written
    }
    clean = posix.normalize(clean);
    // A folder is not a file: nothing to hash (Django leaves such URLs alone too).
    if (clean.endsWith('/')) return joinStaticUrl(staticUrl, clean, suffix);
    const hashed = paths && Object.hasOwn(paths, clean) ? paths[clean] : undefined;
    if (hashed === undefined) {
      const why = paths
        ? `Is the file in a static folder, and was collectstatic run after it was added?`
        : `There is no manifest at ${where}: run collectstatic.`;
      throw new StaticManifestError(`Missing staticfiles manifest entry for '${clean}'. ${why}`);
    }
    // The suffix ('?v=2', '#x', the @font-face '?#iefix' trick) is kept as written.
    return joinStaticUrl(staticUrl, hashed, suffix);
  };
}
