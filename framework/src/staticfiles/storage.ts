/**
 * Storages: what collectstatic does after copying the files into STATIC_ROOT, and how the
 * template helper turns a static path into a URL. STATICFILES_STORAGE is 'plain' (copy, URLs are
 * STATIC_URL + path), 'manifest' (Django's ManifestStaticFilesStorage: content-hashed names and
 * staticfiles.json), or an imported implementation of StaticStorage.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import { joinStaticUrl, requireStaticUrl, splitPathSuffix } from './static-settings.js';

/** One collected file, as the storage sees it. */
export interface CollectedFile {
  /** The path it is collected under (posix, relative to STATIC_ROOT). */
  readonly path: string;
  /** Absolute path of the source file. */
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  /**
   * The source has the same path, size and mtime as when the previous run collected it — the run
   * whose `state` comes back as `previousState` — so what the storage derived from it then still holds.
   */
  readonly unchanged: boolean;
  /**
   * The bytes collectstatic wrote to STATIC_ROOT/`path` in this run, as a regular file, when it
   * kept them (small files): hash these instead of reading the source again, and the copy at
   * `path` may be hard-linked rather than copied once more.
   */
  readonly content?: Uint8Array;
}

export interface PostProcessContext {
  readonly settings: LoadedSettings;
  readonly staticRoot: string;
  readonly staticUrl: string;
  /** Paths (posix, relative) present in STATIC_ROOT once the copying is done. */
  readonly existing: ReadonlySet<string>;
  /**
   * What this storage returned as `state` after the previous run; undefined after --clear, a
   * settings change, or a run that did not post-process.
   */
  readonly previousState: unknown;
  /** collectstatic's logger: printed when the verbosity is at least `level`. */
  log(message: string, level: number): void;
}

export interface PostProcessResult {
  readonly original: string;
  readonly hashed: string | null;
  /** True when something was written for this file during this run. */
  readonly processed: boolean;
}

export interface PostProcessOutcome {
  readonly results: readonly PostProcessResult[];
  /**
   * Saved beside STATIC_ROOT's files and handed back as `previousState` next time. Returning the
   * `previousState` object itself says nothing changed, and spares collectstatic re-saving it.
   */
  readonly state?: unknown;
}

export interface StaticStorage {
  /** A short name for messages and for invalidating the saved state when the storage changes. */
  readonly name: string;
  /**
   * Post-processing depends only on the collected files and on what is in STATIC_ROOT: run again
   * with neither changed since the previous run, it would write nothing and hand its state back.
   * collectstatic then skips calling it on such a run. Leave unset for a storage that must run
   * every time (one that uploads, say).
   */
  readonly incremental?: boolean;
  /** Runs after the copying (not with --dry-run or --no-post-process). */
  postProcess?(files: ReadonlyMap<string, CollectedFile>, ctx: PostProcessContext): Promise<PostProcessOutcome>;
  /** The template helper: called once, returns the path -> URL function. */
  urlResolver(settings: LoadedSettings): (path: string) => string;
}

/** URLs straight from STATIC_URL; what every storage does in DEBUG. */
export function plainUrlResolver(settings: LoadedSettings): (path: string) => string {
  const staticUrl = requireStaticUrl(settings);
  return (path) => {
    const [file, suffix] = splitPathSuffix(path);
    return joinStaticUrl(staticUrl, file, suffix);
  };
}

export const plainStorage: StaticStorage = {
  name: 'plain',
  urlResolver: plainUrlResolver,
};
