/**
 * placeFile(): put one source file at its path in STATIC_ROOT, as collectstatic's copy (or
 * --link) step does for each file that is new or changed.
 *
 * A regular file already there is replaced by renaming a complete copy over it, never rewritten
 * in place: the manifest storage may have hard-linked it to a hashed name (fs-util.ts linkFile),
 * and a hashed name's bytes must never change; a web server reading it meanwhile sees the old
 * file or the new one, never half of one.
 */
import { copyFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EntryKind } from './collect-state.js';
import { type DirMaker, copyFileAtomic, removeEntry, writeFileAtomic } from './fs-util.js';

export interface PlaceOptions {
  /** What STATIC_ROOT holds at `dest` now, if anything. */
  readonly existing: EntryKind | undefined;
  /** Symlink to the source instead of copying it (--link). */
  readonly link: boolean;
  /**
   * Read the source into memory and write those bytes (returned, so the storage can hash them
   * without reading the file again); otherwise the kernel copies it.
   */
  readonly keep: boolean;
  /** The source's permission bits, for copies made from kept bytes (a kernel copy keeps them itself). */
  readonly mode: number;
  readonly dirs: DirMaker;
}

/** Returns the bytes written when `keep`, else undefined. */
export function placeFile(source: string, dest: string, options: PlaceOptions): Buffer | undefined {
  const { existing, link, dirs } = options;
  // A link must be removed, not written through (that would overwrite its target, a source); a
  // folder in the way cannot be renamed over.
  if (existing !== undefined && (link || existing !== 'file')) removeEntry(dest);
  dirs.ensure(dirname(dest));
  if (link) {
    symlinkSync(source, dest);
    return undefined;
  }
  const replace = existing === 'file';
  if (!options.keep) {
    if (replace) copyFileAtomic(source, dest, dirs);
    else copyFileSync(source, dest);
    return undefined;
  }
  const data = readFileSync(source);
  if (replace) writeFileAtomic(dest, data, dirs, options.mode);
  else writeFileSync(dest, data, { mode: options.mode });
  return data;
}
