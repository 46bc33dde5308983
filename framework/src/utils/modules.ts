/**
 * Dotted module names (`coffeehouse.settings.production`) resolved against a project's base
 * folder, the way Python finds packages: `a/b/c.ts`, `a/b/c.js`, `a/b/c/index.ts`,
 * `a/b/c/index.js`, first that exists. Names come from environment variables and settings, so
 * they are checked before they touch the file system: no `..`, no slashes, no absolute paths.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DOTTED = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const EXTENSIONS = ['.ts', '.js', '.mts', '.mjs'];

export function isDottedName(name: string): boolean {
  return DOTTED.test(name);
}

/** Candidate files for a dotted name, in the order they are tried. */
export function candidateFiles(name: string, baseDir: string): string[] {
  const rel = join(baseDir, ...name.split('.'));
  return [...EXTENSIONS.map((ext) => rel + ext), ...EXTENSIONS.map((ext) => join(rel, `index${ext}`))];
}

export type Resolution = { file: string; tried: string[] } | { file: undefined; tried: string[] };

export function resolveDottedName(name: string, baseDir: string): Resolution {
  const tried = candidateFiles(name, baseDir);
  const file = tried.find((f) => existsSync(f) && statSync(f).isFile());
  return { file, tried };
}

/** The folder a dotted name denotes (`stores` -> `<base>/stores`), if it exists. */
export function resolveDottedFolder(name: string, baseDir: string): string | undefined {
  const dir = join(baseDir, ...name.split('.'));
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : undefined;
}

export async function importFile(file: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
