/**
 * What collectstatic remembers between runs, in a hidden file in STATIC_ROOT (hidden so neither
 * the DEBUG server, `registerStaticRootServing` nor the nginx configuration ever serves it).
 * Per collected path: the source file, its size and mtime when it was copied or linked, and how.
 * A re-run compares the source's current stat with that record instead of re-reading anything;
 * the storage keeps its own part (hashes, CSS references, compressed copies) under `storage`,
 * which is dropped when the storage or a setting that shapes its output changes.
 */
import { readFileSync, readdirSync, type Dirent } from 'node:fs';
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

export function storageKey(storageName: string, settings: LoadedSettings): string {
  return JSON.stringify([storageName, settings.STATIC_URL, settings.STATICFILES_PRECOMPRESS]);
}

/** The saved state and its text (so an unchanged state is not written again). */
export function loadState(staticRoot: string): { state: CollectState; text: string } | undefined {
  try {
    const text = readFileSync(join(staticRoot, STATE_FILE), 'utf8');
    const data = JSON.parse(text) as Partial<CollectState>;
    if (data.v !== 1 || !data.files || typeof data.files !== 'object' || typeof data.storageKey !== 'string') return undefined;
    return { state: data as CollectState, text };
  } catch {
    // Missing or damaged: the run just does the full work and writes a fresh one.
    return undefined;
  }
}

export function saveState(staticRoot: string, state: CollectState, previousText?: string): void {
  const text = JSON.stringify(state);
  if (text !== previousText) writeFileAtomic(join(staticRoot, STATE_FILE), text, new DirMaker());
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
