/**
 * `staticfiles.json`, the manifest in STATIC_ROOT that maps each collected path to its hashed
 * name. The format is Django's, so tools that read Django manifests read ours:
 *   {"paths": {"css/site.css": "css/site.55e7cbb9ba48.css"}, "version": "1.1", "hash": "..."}
 * Version "1.1" with the manifest's own "hash" is what Django 4.x writes; 3.2 wrote "1.0" without
 * it. Both versions are read. The text is produced the way Python's `json.dumps` does (", " and
 * ": " separators, non-ASCII escaped), so the "hash" is the one Django would compute.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StaticManifestError } from '../errors.js';
import { contentHash } from './hashed-name.js';

export const MANIFEST_NAME = 'staticfiles.json';
export const MANIFEST_VERSION = '1.1';
const READABLE_VERSIONS = ['1.0', '1.1'];

export interface Manifest {
  readonly paths: Readonly<Record<string, string>>;
  readonly version: string;
  readonly hash: string;
}

/** A JSON string as Python's json.dumps writes it (ensure_ascii: every non-ASCII unit as \uXXXX). */
function pyString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => (c === '\u007f' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Python sorts strings by code point; JavaScript's `<` compares UTF-16 units. */
function byCodePoint(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d) return d;
  }
}

export function sortedEntries(paths: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(paths).sort(([a], [b]) => byCodePoint(a, b));
}

/** Django's manifest hash: md5 of json.dumps(sorted(paths.items())), first 12 hex digits. */
export function manifestHash(paths: Readonly<Record<string, string>>): string {
  const items = sortedEntries(paths).map(([k, v]) => `[${pyString(k)}, ${pyString(v)}]`);
  return contentHash(`[${items.join(', ')}]`);
}

/** The manifest's text; paths are written sorted so an unchanged collection writes identical bytes. */
export function renderManifest(paths: Readonly<Record<string, string>>): string {
  const body = sortedEntries(paths).map(([k, v]) => `${pyString(k)}: ${pyString(v)}`);
  return `{"paths": {${body.join(', ')}}, "version": ${pyString(MANIFEST_VERSION)}, "hash": ${pyString(manifestHash(paths))}}`;
}

/** Parse a manifest's text; a bad document or an unknown version is a StaticManifestError. */
export function parseManifest(text: string, file: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new StaticManifestError(`Couldn't load manifest '${file}': it is not valid JSON. Run collectstatic again.`);
  }
  const record = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const version = record.version;
  if (typeof version !== 'string' || !READABLE_VERSIONS.includes(version)) {
    throw new StaticManifestError(
      `Couldn't load manifest '${file}' (version ${String(version)}); versions ${READABLE_VERSIONS.join(' and ')} are understood. Run collectstatic again.`,
    );
  }
  const paths: Record<string, string> = Object.create(null) as Record<string, string>;
  const raw = record.paths;
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === 'string') paths[k] = v;
  }
  return { paths, version, hash: typeof record.hash === 'string' ? record.hash : '' };
}

/** The manifest in `staticRoot`, or undefined when there is none yet. */
export function readManifest(staticRoot: string): Manifest | undefined {
  const file = join(staticRoot, MANIFEST_NAME);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StaticManifestError(`Couldn't read manifest '${file}': ${(err as Error).message}`);
  }
  return parseManifest(text, file);
}
