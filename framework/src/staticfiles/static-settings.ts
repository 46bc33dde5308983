/**
 * The static settings every part of this folder needs, checked once with Django's messages, and
 * the one function that turns a static path into a URL.
 */
import { resolve } from 'node:path';
import type { LoadedSettings } from '../conf/settings-types.js';
import { ImproperlyConfigured } from '../errors.js';

/** The app whose presence in INSTALLED_APPS turns static files on. */
export const STATICFILES_APP = 'reinhardt.contrib.staticfiles';

export function requireStaticRoot(settings: LoadedSettings): string {
  if (!settings.STATIC_ROOT) {
    throw new ImproperlyConfigured(
      "You're using the staticfiles app without having set the STATIC_ROOT setting to a filesystem path. " +
        "Set STATIC_ROOT to an absolute folder, e.g. join(BASE_DIR, 'staticfiles').",
    );
  }
  return resolve(settings.STATIC_ROOT);
}

export function requireStaticUrl(settings: LoadedSettings): string {
  if (!settings.STATIC_URL) {
    throw new ImproperlyConfigured(
      "You're using the staticfiles app without having set the required STATIC_URL setting. Set STATIC_URL, e.g. '/static/'.",
    );
  }
  return settings.STATIC_URL;
}

/** Whether STATIC_URL names another host (a CDN) rather than a path on this site. */
export function isAbsoluteUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//');
}

/** The path part of STATIC_URL ('/static/' for both '/static/' and 'https://cdn.example/static/'). */
export function staticUrlPath(staticUrl: string): string {
  if (!isAbsoluteUrl(staticUrl)) return staticUrl.startsWith('/') ? staticUrl : `/${staticUrl}`;
  const path = new URL(staticUrl, 'http://placeholder.invalid').pathname;
  return path.endsWith('/') ? path : `${path}/`;
}

/**
 * STATIC_URL + path, with each path segment percent-encoded (so a space or '#' in a file name
 * cannot end the URL early) and any `?query` / `#fragment` the caller wrote kept as written.
 * A leading '/' is dropped: the result always stays under STATIC_URL.
 */
export function joinStaticUrl(staticUrl: string, path: string, suffix = ''): string {
  const encoded = path
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return `${staticUrl}${encoded}${suffix}`;
}

/** Split 'a.woff?v=1#x' into the file path and what follows it. */
export function splitPathSuffix(path: string): [file: string, suffix: string] {
  const at = path.search(/[?#]/);
  return at === -1 ? [path, ''] : [path.slice(0, at), path.slice(at)];
}
