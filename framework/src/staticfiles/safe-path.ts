/**
 * Requested static paths come from findstatic's command line, template authors and, through the
 * DEBUG server, from anyone who can send a URL. These helpers make sure no spelling of a path —
 * '..' segments, absolute paths, backslashes, NUL bytes, encoded separators — resolves to a file
 * outside the folder it was looked up in.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import { SuspiciousFileOperation } from '../errors.js';

/**
 * Django's `safe_join`: `root` joined with the relative `path`, or SuspiciousFileOperation when the
 * result would leave `root`. '..' segments that stay inside the root are allowed ('css/../a.css').
 * Backslashes and NUL bytes are refused outright: on Windows a backslash is a separator, and a NUL
 * truncates paths in some system calls.
 */
export function safeJoin(root: string, path: string): string {
  if (path.includes('\0') || path.includes('\\')) {
    throw new SuspiciousFileOperation(`The static path ${JSON.stringify(path)} contains a NUL byte or a backslash.`);
  }
  if (isAbsolute(path)) {
    throw new SuspiciousFileOperation(`The static path '${path}' is absolute; static paths are relative to a static folder.`);
  }
  const joined = join(root, path);
  const rel = relative(root, joined);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new SuspiciousFileOperation(`The joined path (${joined}) is located outside of the base path component (${root}).`);
  }
  return joined;
}

/** safeJoin, or undefined instead of an error: for lookups where "not found" is the answer. */
export function tryJoin(root: string, path: string): string | undefined {
  try {
    return safeJoin(root, path);
  } catch (err) {
    if (err instanceof SuspiciousFileOperation) return undefined;
    throw err;
  }
}

/** Encoded '/', '\', '.' or '%' in a raw URL path: never needed by a real static file name. */
const ENCODED_SEPARATOR_OR_DOT = /%(?:2f|5c|2e|00|25)/i;

/**
 * Whether a raw URL path suffix (the part after STATIC_URL, still percent-encoded) is a plain
 * request for a file: no dot segments (so no '..', no '.', no dotfiles like '.env'), no empty
 * segments ('//' or a leading '/' would make it absolute), no backslash, no NUL, no encoded
 * separator, dot or percent (so '%2e%2e', '%2f' and double encoding like '%252e' are refused
 * before any decoding layer can turn them into something else), and valid percent-encoding.
 * The DEBUG server answers 404 to anything else, exactly like a missing file.
 */
export function isPlainStaticRequest(rawSuffix: string): boolean {
  if (rawSuffix === '' || ENCODED_SEPARATOR_OR_DOT.test(rawSuffix)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawSuffix);
  } catch {
    return false;
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return false;
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment.startsWith('.')) return false;
  }
  return true;
}
