/**
 * Where the framework's package is on disk: the nearest folder above this module whose
 * package.json is named "reinhardt". Found by walking up rather than by a fixed '../..', so it
 * stays right wherever the code runs from: the TypeScript sources, or a build that bundled
 * modules into chunks at other depths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  /** The folder holding package.json. */
  readonly root: string;
  readonly version: string;
}

let cached: PackageInfo | undefined;

export function frameworkPackage(): PackageInfo {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'reinhardt') {
        cached = { root: dir, version: typeof pkg.version === 'string' ? pkg.version : '0.0.0' };
        return cached;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`The reinhardt package.json was not found above ${fileURLToPath(import.meta.url)}.`);
    dir = parent;
  }
}
