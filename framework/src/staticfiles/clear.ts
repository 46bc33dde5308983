/**
 * `collectstatic --clear`: empty STATIC_ROOT before collecting. Deleting is the one thing here
 * that can destroy work, so the folder is checked first: never '/', the home folder, the
 * project's base folder or any folder that contains them, and never a folder that holds the
 * static sources themselves. Only STATIC_ROOT's contents go; the folder itself stays, and links
 * inside it are removed as links (their targets are never touched).
 */
import { type Dirent, readdirSync, realpathSync } from 'node:fs';
import { rm, rmdir, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { ImproperlyConfigured } from '../errors.js';
import { mapLimit } from './fs-util.js';

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** `inner` is `outer` or inside it. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Throw when STATIC_ROOT is a folder collectstatic must never write into or empty. */
export function assertSafeStaticRoot(staticRoot: string, options: { baseDir: string; sourceRoots: readonly string[]; clearing: boolean }): void {
  const root = real(staticRoot);
  const remedy = "Point STATIC_ROOT at a folder of its own, e.g. join(BASE_DIR, 'staticfiles').";
  for (const source of options.sourceRoots) {
    if (isWithin(real(source), root)) {
      throw new ImproperlyConfigured(
        `STATIC_ROOT (${staticRoot}) contains the static folder ${source}; collecting there would overwrite the sources. ${remedy}`,
      );
    }
  }
  if (!options.clearing) return;
  const refuse = (what: string): never => {
    throw new ImproperlyConfigured(`Refusing to clear STATIC_ROOT (${staticRoot}): it is ${what}. ${remedy}`);
  };
  if (root === parse(root).root) refuse('the root of the file system');
  if (isWithin(real(options.baseDir), root)) refuse(`the project's base folder or one of its parents (${options.baseDir})`);
  if (isWithin(real(homedir()), root)) refuse('the home folder or one of its parents');
}

export interface ClearOptions {
  readonly dryRun: boolean;
  log(message: string, level: number): void;
}

/** Delete everything inside `staticRoot`, logging each file like Django ('Deleting ...'). */
export async function clearStaticRoot(staticRoot: string, options: ClearOptions): Promise<void> {
  const files: string[] = [];
  const dirs: string[] = [];
  const visit = (abs: string, rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      const full = join(abs, e.name);
      // isDirectory() on a Dirent does not follow links: a link to a folder is removed as a link.
      if (e.isDirectory()) {
        visit(full, path);
        dirs.push(full);
      } else {
        options.log(options.dryRun ? `Pretending to delete '${path}'` : `Deleting '${path}'`, 1);
        files.push(full);
      }
    }
  };
  visit(staticRoot, '');
  if (options.dryRun) return;
  await mapLimit(files, 32, (file) => unlink(file));
  // Children were pushed before their parents, so this empties folders bottom-up.
  for (const dir of dirs) await rmdir(dir).catch(() => rm(dir, { recursive: true, force: true }));
}
