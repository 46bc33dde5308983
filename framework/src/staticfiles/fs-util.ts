/**
 * File writes into STATIC_ROOT. A web server may be reading STATIC_ROOT while collectstatic runs,
 * and a run may be interrupted, so content-addressed outputs (hashed names, compressed copies,
 * the manifest) are written to a hidden temporary name and renamed into place: if a hashed name
 * exists, it is complete. That is what lets a re-run trust existence instead of re-reading.
 *
 * Synchronous on purpose. Static files are small and many; on the 2-core machines this runs on,
 * a plain loop of blocking calls read, hashed, wrote and linked scripts/bench/collectstatic.sh's
 * 6,250 files in 0.7-1.1 s, against 1.4-1.6 s with callbacks 32 at a time and 2.2-2.5 s with
 * fs/promises 8 at a time, using half to a third of their CPU: the cost of a promise and a
 * thread-pool round trip per call is larger than the system call it wraps, and creating files
 * in one folder does not run in parallel anyway (a bigger or smaller UV_THREADPOOL_SIZE did not
 * help either). Compression, which is real work, still goes to the thread pool (precompress.ts).
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, linkSync, lstatSync, mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Unique per process; a counter does the rest (no random bytes per file). */
const RUN_ID = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
let tempCounter = 0;

function tempName(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.${RUN_ID}.${(tempCounter++).toString(36)}.tmp`);
}

/** mkdir -p, remembering folders already made during one run. */
export class DirMaker {
  private readonly made = new Set<string>();
  ensure(dir: string): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.made.add(dir);
  }
}

/** Write to a temporary name, then rename over `dest`: readers see the old file or the new one, never half of one. */
export function writeFileAtomic(dest: string, data: string | Uint8Array, dirs: DirMaker, mode?: number): void {
  dirs.ensure(dirname(dest));
  const tmp = tempName(dest);
  try {
    writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
    renameSync(tmp, dest);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function copyFileAtomic(src: string, dest: string, dirs: DirMaker): void {
  dirs.ensure(dirname(dest));
  const tmp = tempName(dest);
  try {
    copyFileSync(src, tmp);
    renameSync(tmp, dest);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Give `existing` (a complete regular file) the second name `dest` without copying a byte, for
 * content-addressed outputs whose bytes are known to equal it. A hard link allocates no inode
 * and writes no data, and on ext4 allocating inodes is most of what collectstatic's first run
 * costs. Linking is atomic. A name that exists already is complete (see the file comment), so
 * EEXIST is success. Returns false where links are not possible (another file system, FAT, a
 * link-count limit): the caller copies instead.
 */
export function linkFile(existing: string, dest: string, dirs: DirMaker): boolean {
  dirs.ensure(dirname(dest));
  try {
    linkSync(existing, dest);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EEXIST';
  }
}

/**
 * Remove whatever is at `path` without following it: a symlink left by `--link` must be removed,
 * never written through (that would overwrite the source file it points to).
 */
export function removeEntry(path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (st.isDirectory()) rmSync(path, { recursive: true, force: true });
  else unlinkSync(path);
}

/** Run `task` over `items` with at most `limit` at a time, keeping results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
