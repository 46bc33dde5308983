/**
 * Content-hashed names as Django's ManifestStaticFilesStorage makes them: the first 12 hex digits
 * of the MD5 of the content go before the extension, `css/site.css` -> `css/site.55e7cbb9ba48.css`.
 * MD5 is a fingerprint here, not a security measure; it is kept so the names match Django's.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

export const HASH_LENGTH = 12;

/** The 12-hex fingerprint of some bytes. */
export function contentHash(data: Uint8Array | string): string {
  return createHash('md5').update(data).digest('hex').slice(0, HASH_LENGTH);
}

/** Files above this size are hashed in chunks rather than read whole. */
const CHUNKED_THRESHOLD = 8 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export function fileHash(file: string, size: number): string {
  if (size < CHUNKED_THRESHOLD) return contentHash(readFileSync(file));
  const hash = createHash('md5');
  const buffer = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(file, 'r');
  try {
    for (let n; (n = readSync(fd, buffer, 0, CHUNK, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex').slice(0, HASH_LENGTH);
}

/** Python's `os.path.splitext` on a basename: leading dots do not start an extension. */
export function splitExt(base: string): [root: string, ext: string] {
  const dot = base.lastIndexOf('.');
  // Split only when something other than dots comes before the last dot.
  for (let i = 0; i < dot; i++) if (base[i] !== '.') return [base.slice(0, dot), base.slice(dot)];
  return [base, ''];
}

/** `dir/name.ext` -> `dir/name.<hash>.ext` (posix paths). */
export function hashedName(path: string, hash: string): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const [root, ext] = splitExt(path.slice(slash + 1));
  return `${dir}${root}.${hash}${ext}`;
}

/** A basename carrying a content hash: `site.55e7cbb9ba48.css`, `LICENSE.55e7cbb9ba48`. */
export const HASHED_BASENAME = /\.[0-9a-f]{12}(?:\.[^./]*)?$/;
