/**
 * File writes into STATIC_ROOT. A web server may be reading STATIC_ROOT while collectstatic runs,
 * and a run may be interrupted, so content-addressed outputs (hashed names, compressed copies,
 * the manifest) are written to a hidden temporary name and renamed into place: if a hashed name
 * exists, it is complete. That is what lets a re-run trust existence instead of re-reading.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, lstat, mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

function tempName(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.${randomBytes(4).toString('hex')}.tmp`);
}

/** mkdir -p, remembering folders already made during one run. */
export class DirMaker {
  private readonly made = new Set<string>();
  async ensure(dir: string): Promise<void> {
    if (this.made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.made.add(dir);
  }
}

export async function writeFileAtomic(dest: string, data: string | Uint8Array, dirs: DirMaker): Promise<void> {
  await dirs.ensure(dirname(dest));
  const tmp = tempName(dest);
  try {
    await writeFile(tmp, data);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function copyFileAtomic(src: string, dest: string, dirs: DirMaker): Promise<void> {
  await dirs.ensure(dirname(dest));
  const tmp = tempName(dest);
  try {
    await copyFile(src, tmp);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Remove whatever is at `path` without following it: a symlink left by `--link` must be removed,
 * never written through (that would overwrite the source file it points to).
 */
export async function removeEntry(path: string): Promise<void> {
  let st;
  try {
    st = await lstat(path);
  } catch {
    return;
  }
  if (st.isDirectory()) await rm(path, { recursive: true, force: true });
  else await unlink(path);
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
