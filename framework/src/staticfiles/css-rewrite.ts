/**
 * Rewriting references in CSS to hashed names, as Django's HashedFilesMixin does, so a browser
 * that caches `site.<hash>.css` forever also gets the right images and imports:
 * - `url(...)`, quoted or not, becomes `url("<hashed>")`;
 * - `@import "..."` becomes `@import url("<hashed>")`;
 * - left alone: anything with a scheme (`data:`, `http:`, `https:`), protocol-relative `//host`
 *   and root-relative URLs outside STATIC_URL (dynamic CSS), and bare `#fragment`s;
 * - a `?query` and a `#fragment` after the file name are kept after the hashed name (including the
 *   `font.eot?#iefix` @font-face trick);
 * - relative references resolve against the CSS file's folder, root-relative ones against
 *   STATIC_URL. A reference to a file that was not collected is an error naming both files.
 * Unlike Django, the author's percent-encoding is kept rather than decoded into the output.
 */
import { posix } from 'node:path';
import { StaticManifestError } from '../errors.js';

/** Django's two CSS patterns; case-insensitive like Django's. */
const URL_PATTERN = /url\(['"]?\s*(.*?)["']?\)/gi;
const IMPORT_PATTERN = /@import\s*["']\s*(.*?)["']/gi;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** Characters that would break out of `url("...")` if a file name carried them. */
const UNSAFE_IN_QUOTED_URL = /["\\()\s]/g;

export interface CssRewriteContext {
  /** Collected path of the CSS file being rewritten ('css/site.css'). */
  readonly name: string;
  /** STATIC_URL, for root-relative references. */
  readonly staticUrl: string;
  /** The current hashed name of a collected path, or undefined when no such file was collected. */
  lookup(path: string): string | undefined;
}

export interface CssRewriteResult {
  readonly content: string;
  /** Each referenced collected path and the hashed name written for it. */
  readonly deps: ReadonlyMap<string, string>;
}

function lenientDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether a file is rewritten at all (Django's adjustable files: '*.css'). */
export function isAdjustable(path: string): boolean {
  return path.toLowerCase().endsWith('.css');
}

export function rewriteCss(content: string, ctx: CssRewriteContext): CssRewriteResult {
  const deps = new Map<string, string>();
  const convert = (template: (url: string) => string) => (matched: string, url: string): string => {
    if (HAS_SCHEME.test(url)) return matched;
    if (url.startsWith('/') && !url.startsWith(ctx.staticUrl)) return matched;
    const hashAt = url.indexOf('#');
    const urlPath = hashAt === -1 ? url : url.slice(0, hashAt);
    const fragment = hashAt === -1 ? undefined : url.slice(hashAt + 1);
    if (!urlPath) return matched;

    const queryAt = urlPath.indexOf('?');
    // Whitespace around the name (`url( a.png )`) is not part of it, as in Django.
    const pathPart = (queryAt === -1 ? urlPath : urlPath.slice(0, queryAt)).trim();
    const query = queryAt === -1 ? '' : urlPath.slice(queryAt + 1);
    if (pathPart.endsWith('/')) return matched; // a folder, not a file: nothing to hash

    const relative = pathPart.startsWith('/') ? pathPart.slice(ctx.staticUrl.length) : posix.join(posix.dirname(ctx.name), pathPart);
    const target = posix.normalize(lenientDecode(relative));
    const hashed = target.startsWith('../') || target === '..' ? undefined : ctx.lookup(target);
    if (hashed === undefined) {
      throw new StaticManifestError(
        `The CSS file '${ctx.name}' references a file which could not be found: '${url}' (looked for '${target}'). ` +
          'Check the URL references in this CSS file, particularly relative paths that might point to the wrong folder.',
      );
    }
    deps.set(target, hashed);
    const lastSegment = hashed.slice(hashed.lastIndexOf('/') + 1).replace(UNSAFE_IN_QUOTED_URL, (c) => encodeURIComponent(c).replace('(', '%28').replace(')', '%29'));
    const dirParts = pathPart.slice(0, pathPart.lastIndexOf('/') + 1);
    let out = `${dirParts}${lastSegment}${query ? `?${query}` : ''}`;
    if (fragment !== undefined) out += (url.includes('?#') ? '?#' : '#') + fragment;
    return template(out);
  };
  const rewritten = content
    .replace(URL_PATTERN, convert((u) => `url("${u}")`))
    .replace(IMPORT_PATTERN, convert((u) => `@import url("${u}")`));
  return { content: rewritten, deps };
}
