/**
 * Finders: where static files live before collectstatic gathers them. Django's two built-ins,
 * named for STATICFILES_FINDERS:
 * - 'filesystem' looks in STATICFILES_DIRS, in order; an entry `[prefix, folder]` puts the
 *   folder's files under `prefix/` (Django's tuple form);
 * - 'app-directories' looks in the `static/` folder of each installed app, in INSTALLED_APPS order.
 * The first finder, and the first folder within it, that holds a path wins — for findstatic, for
 * collectstatic and for the DEBUG server alike.
 */
import { statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { appSubfolders } from '../apps/registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { type Factory, hasMethods, resolveComponent } from './components.js';
import { tryJoin } from './safe-path.js';
import { walkFiles } from './walk.js';

/** One folder a finder looks in; files under it are known as `prefix/relative` (or `relative`). */
export interface StaticLocation {
  readonly prefix: string;
  readonly root: string;
}

/** One file a finder lists. */
export interface StaticEntry {
  /** The path it is collected and served under: posix, relative, with the location's prefix. */
  readonly path: string;
  /** Absolute path of the source file. */
  readonly file: string;
  /** The folder it was found in. */
  readonly root: string;
  readonly prefix: string;
}

export interface ListOptions {
  /** Absolute folders not to descend into (collectstatic passes STATIC_ROOT). */
  readonly exclude?: ReadonlySet<string>;
}

/**
 * What a finder is. An imported finder object needs find() and list(); searchedLocations and
 * locations() are optional (without locations() the DEBUG server cannot serve its files).
 */
export interface StaticFinder {
  /** Absolute files for a relative path: the first match, or every match with `all`. */
  find(path: string, options?: { all?: boolean }): string[];
  list(ignorePatterns: readonly string[], options?: ListOptions): Iterable<StaticEntry>;
  /** Folders find() has looked in so far (findstatic -v 2). */
  readonly searchedLocations?: readonly string[];
  /** The folders this finder serves from, in lookup order. */
  locations?(): readonly StaticLocation[];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A finder over a fixed list of folders; both built-ins are one. */
export class LocationsFinder implements StaticFinder {
  readonly searchedLocations: string[] = [];
  constructor(private readonly folders: readonly StaticLocation[]) {}

  locations(): readonly StaticLocation[] {
    return this.folders;
  }

  find(path: string, options: { all?: boolean } = {}): string[] {
    const matches: string[] = [];
    for (const location of this.folders) {
      if (!this.searchedLocations.includes(location.root)) this.searchedLocations.push(location.root);
      const match = findIn(location, path);
      if (match) {
        matches.push(match);
        if (!options.all) break;
      }
    }
    return matches;
  }

  *list(ignorePatterns: readonly string[], options: ListOptions = {}): Generator<StaticEntry> {
    for (const { prefix, root } of this.folders) {
      for (const rel of walkFiles(root, ignorePatterns, options)) {
        // Plain concatenation: root is absolute and normalised, rel is made of readdir names, and
        // path.resolve() per file is a measurable share of an unchanged re-run.
        yield { path: prefix ? `${prefix}/${rel}` : rel, file: root + sep + (sep === '/' ? rel : rel.split('/').join(sep)), root, prefix };
      }
    }
  }
}

/** The file for `path` in one location, never outside it. */
function findIn({ prefix, root }: StaticLocation, path: string): string | undefined {
  let rel = path;
  if (prefix) {
    if (!path.startsWith(`${prefix}/`)) return undefined;
    rel = path.slice(prefix.length + 1);
  }
  const file = tryJoin(root, rel);
  return file !== undefined && isFile(file) ? file : undefined;
}

/** STATICFILES_DIRS as locations, duplicates dropped like Django does. */
export function staticDirLocations(settings: LoadedSettings): StaticLocation[] {
  const out: StaticLocation[] = [];
  for (const entry of settings.STATICFILES_DIRS) {
    const [prefix, root] = typeof entry === 'string' ? ['', entry] : [entry[0], entry[1]];
    const location = { prefix: prefix.replace(/^\/+|\/+$/g, ''), root: resolve(root) };
    if (!out.some((l) => l.prefix === location.prefix && l.root === location.root)) out.push(location);
  }
  return out;
}

export class FileSystemFinder extends LocationsFinder {
  constructor(settings: LoadedSettings) {
    super(staticDirLocations(settings));
  }
}

export class AppDirectoriesFinder extends LocationsFinder {
  /** Django's `source_dir`. */
  static readonly sourceDir = 'static';
  constructor(settings: LoadedSettings) {
    // Only apps whose static/ folder exists, decided once, as Django does at start-up.
    super(appSubfolders(settings, AppDirectoriesFinder.sourceDir).filter(({ dir }) => isDirectory(dir)).map(({ dir }) => ({ prefix: '', root: dir })));
  }
}

export const BUILTIN_FINDERS: Readonly<Record<string, Factory<StaticFinder>>> = {
  filesystem: (s) => new FileSystemFinder(s),
  'app-directories': (s) => new AppDirectoriesFinder(s),
};

/** The finders STATICFILES_FINDERS names, in order. Unknown names fail with the known ones listed. */
export function getFinders(settings: LoadedSettings): StaticFinder[] {
  return settings.STATICFILES_FINDERS.map((ref, i) =>
    resolveComponent<StaticFinder>(`STATICFILES_FINDERS[${i}]`, ref, BUILTIN_FINDERS, settings, (v) => hasMethods(v, 'find', 'list')),
  );
}

/** Every folder the finders serve from, in lookup order (for the DEBUG server). */
export function finderLocations(finders: readonly StaticFinder[]): StaticLocation[] {
  const out: StaticLocation[] = [];
  for (const finder of finders) {
    for (const location of finder.locations?.() ?? []) {
      if (!out.some((l) => l.prefix === location.prefix && l.root === location.root)) out.push(location);
    }
  }
  return out;
}

/** Folders searched so far by any of the finders, without duplicates. */
export function searchedLocations(finders: readonly StaticFinder[]): string[] {
  const out: string[] = [];
  for (const finder of finders) for (const l of finder.searchedLocations ?? []) if (!out.includes(l)) out.push(l);
  return out;
}

export interface FindResult {
  /** Absolute files, first match first. */
  readonly matches: string[];
  /** Folders looked in (findstatic -v 2). */
  readonly searchedLocations: string[];
}

/**
 * Django's `finders.find()`: the first file for `path` across the finders, or every file with
 * `all`. Unsafe paths ('..' out of a folder, absolute, backslashes, NUL) are simply not found.
 */
export function findStatic(settings: LoadedSettings, path: string, options: { all?: boolean; finders?: readonly StaticFinder[] } = {}): FindResult {
  const finders = options.finders ?? getFinders(settings);
  const matches: string[] = [];
  for (const finder of finders) {
    const found = finder.find(path, { all: options.all === true });
    for (const f of found) if (!matches.includes(f)) matches.push(f);
    if (!options.all && matches.length) break;
  }
  return { matches: options.all ? matches : matches.slice(0, 1), searchedLocations: searchedLocations(finders) };
}
