/**
 * Django's `get_files`: every file under a folder, as a posix path relative to it, skipping what
 * the ignore patterns match. A file is tested by its basename and by its relative path; a folder
 * by its basename only (so '.git' prunes the whole tree without visiting it). Symbolic links are
 * followed, as Django does, but a link back to a folder already being walked is not (no loops).
 *
 * Synchronous on purpose: collectstatic walks before it copies, and readdirSync with file types
 * is the fastest way Node has to list thousands of files.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { matchesPatterns } from './fnmatch.js';

export interface WalkOptions {
  /** Absolute folders not to descend into (STATIC_ROOT when it sits inside a source folder). */
  readonly exclude?: ReadonlySet<string>;
}

export function* walkFiles(root: string, ignorePatterns: readonly string[], options: WalkOptions = {}): Generator<string> {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return; // a missing folder has no files; the checks warn about it (staticfiles.W004)
  }
  yield* walkDir(root, '', ignorePatterns, options.exclude, new Set([realRoot]));
}

function* walkDir(
  abs: string,
  rel: string,
  ignore: readonly string[],
  exclude: ReadonlySet<string> | undefined,
  active: Set<string>,
): Generator<string> {
  let entries: Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const dirs: string[] = [];
  for (const entry of entries) {
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = statSync(join(abs, entry.name));
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue; // a dangling link is not a file
      }
    }
    if (isFile) {
      if (matchesPatterns(entry.name, ignore)) continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (rel && matchesPatterns(path, ignore)) continue;
      yield path;
    } else if (isDir) {
      if (matchesPatterns(entry.name, ignore)) continue;
      dirs.push(entry.name);
    }
  }
  for (const name of dirs) {
    const childAbs = join(abs, name);
    if (exclude?.has(childAbs)) continue;
    let real: string;
    try {
      real = realpathSync(childAbs);
    } catch {
      continue;
    }
    if (active.has(real) || exclude?.has(real)) continue;
    active.add(real);
    yield* walkDir(childAbs, rel ? `${rel}/${name}` : name, ignore, exclude, active);
    active.delete(real);
  }
}
