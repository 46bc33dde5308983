/**
 * What collectstatic remembers between runs, in a hidden file in STATIC_ROOT (hidden so neither
 * the DEBUG server, `registerStaticRootServing` nor the nginx configuration ever serves it).
 * Per collected path: the source file, its size and mtime when it was copied or linked, and how.
 * A re-run compares the source's current stat with that record instead of re-reading anything;
 * the storage keeps its own part (hashes, CSS references, compressed copies) under `storage`,
 * which is dropped when the storage or a setting that shapes its output changes.
 *
 * The file's first line is a fingerprint of the whole run: one digest of every source's path,
 * size and mtime (and how they were collected), one of the names in STATIC_ROOT afterwards. When
 * both still match, nothing can have changed on either side, and a re-run is done without even
 * parsing the records on the second line — the common case of a deploy that re-runs collectstatic
 * with nothing new.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, readlinkSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { LoadedSettings } from '../conf/settings-types.js';
import { DirMaker, writeFileAtomic } from './fs-util.js';

export const STATE_FILE = '.collectstatic-state.json';

/** [source file, size, mtimeMs, linked (1) or copied (0)] */
export type CopyRecord = [string, number, number, number];

export interface CollectState {
  readonly v: 1;
  readonly files: Record<string, CopyRecord>;
  /** The storage and settings the `storage` part was made with. */
  readonly storageKey: string;
  readonly storage: unknown;
}

export interface Fingerprint {
  /** sourcesDigest() of the run that saved the state. */
  readonly sources: string;
  /** rootDigest() of STATIC_ROOT as that run left it. */
  readonly root: string;
}

export interface SavedState {
  readonly fingerprint: Fingerprint | undefined;
  /** The records, parsed on first use (an unchanged re-run never needs them). */
  readonly state: CollectState | undefined;
  /** The file's text, so an unchanged state is not written again. */
  readonly text: string;
}

export function storageKey(storageName: string, settings: LoadedSettings): string {
  return JSON.stringify([storageName, settings.STATIC_URL, settings.STATICFILES_PRECOMPRESS]);
}

/** The saved state, or undefined when there is none (or it is damaged: the run then does the full work). */
export function loadState(staticRoot: string): SavedState | undefined {
  let text: string;
  try {
    text = readFileSync(join(staticRoot, STATE_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  const fingerprint = newline === -1 ? undefined : parseFingerprint(text.slice(0, newline));
  let parsed: CollectState | undefined | null = null;
  return {
    fingerprint,
    text,
    get state() {
      if (parsed === null) parsed = parseState(newline === -1 ? text : text.slice(newline + 1));
      return parsed;
    },
  };
}

function parseFingerprint(line: string): Fingerprint | undefined {
  try {
    const data = JSON.parse(line) as Partial<Fingerprint>;
    return typeof data.sources === 'string' && typeof data.root === 'string' ? { sources: data.sources, root: data.root } : undefined;
  } catch {
    return undefined;
  }
}

function parseState(text: string): CollectState | undefined {
  try {
    const data = JSON.parse(text) as Partial<CollectState>;
    if (data.v !== 1 || !data.files || typeof data.files !== 'object' || typeof data.storageKey !== 'string') return undefined;
    return data as CollectState;
  } catch {
    return undefined;
  }
}

export function saveState(staticRoot: string, state: CollectState, fingerprint: Fingerprint, previousText?: string): void {
  const text = `${JSON.stringify(fingerprint)}\n${JSON.stringify(state)}`;
  if (text !== previousText) writeFileAtomic(join(staticRoot, STATE_FILE), text, new DirMaker());
}

/** One source as the fingerprint sees it. */
export interface SourceStat {
  readonly path: string;
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * A digest of every source in the order found (collected path, source file, size, mtime) and of
 * `how` (storage key, --link, post-processing on or off): any difference means a different run.
 */
export function sourcesDigest(sources: readonly SourceStat[], how: string): string {
  // Names as one string and the numbers as raw doubles, each hashed in one update(): thousands
  // of small updates, or formatting thousands of mtimes as text, cost more than the hashing.
  let names = how;
  const numbers = new Float64Array(sources.length * 2);
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i]!;
    names += `\n${s.path}\0${s.file}`;
    numbers[2 * i] = s.size;
    numbers[2 * i + 1] = s.mtimeMs;
  }
  return createHash('md5').update(names).update(new Uint8Array(numbers.buffer)).digest('hex');
}

/**
 * A digest of STATIC_ROOT's names and kinds, as indexTree() lists them (the state file aside).
 * Listing order is the file system's, stable while a folder is unchanged; should it ever differ,
 * the digests differ and the run just does the full comparison.
 */
export function rootDigest(index: ReadonlyMap<string, EntryKind>): string {
  let text = '';
  for (const [path, kind] of index) if (path !== STATE_FILE) text += `${path}\0${kind[0]}\n`;
  return createHash('md5').update(text).digest('hex');
}

export type EntryKind = 'file' | 'link' | 'dir' | 'other';

/**
 * Everything already in STATIC_ROOT, as posix relative path -> kind, from one readdir per folder
 * (far cheaper than a stat per collected file). Links are reported as links, never followed.
 */
export function indexTree(root: string): Map<string, EntryKind> {
  const out = new Map<string, EntryKind>();
  const visit = (abs: string, rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.set(path, 'dir');
        visit(join(abs, e.name), path);
      } else {
        out.set(path, e.isSymbolicLink() ? 'link' : e.isFile() ? 'file' : 'other');
      }
    }
  };
  visit(root, '');
  return out;
}

/**
 * Whether the file already at `dest` can stay. With a saved record: the source has the same
 * size and mtime as when it was copied, and the destination is still the same kind (a link in
 * --link mode, a file otherwise). Without one (a STATIC_ROOT filled by something else), Django's
 * rule: the destination is at least as new as the source — plus, for copies, the same size.
 */
export function isUnmodified(
  kind: EntryKind,
  staticRoot: string,
  path: string,
  source: string,
  st: { size: number; mtimeMs: number },
  link: boolean,
  record: CopyRecord | undefined,
): boolean {
  if (link ? kind !== 'link' : kind !== 'file') return false;
  if (record) return record[0] === source && record[1] === st.size && record[2] === st.mtimeMs && record[3] === (link ? 1 : 0);
  const dest = join(staticRoot, path);
  try {
    if (link) return readlinkSync(dest) === source;
    const d = statSync(dest);
    return d.size === st.size && d.mtimeMs >= st.mtimeMs;
  } catch {
    return false;
  }
}
