/**
 * collectStatic(): gather every file the finders know into STATIC_ROOT for a separate web server
 * — the DEBUG=false column of Table 5-1 — then let the storage post-process them (hashed names,
 * staticfiles.json). The `collectstatic` command is a thin shell around this; its messages are
 * Django's.
 *
 * Work is split so that a re-run with nothing changed is cheap: the finders list files (readdir),
 * every source is stat'ed once, STATIC_ROOT is indexed with one readdir per folder, and the
 * saved state says which sources are unchanged since they were copied. File operations run
 * concurrently; log lines still come out in the order files were found.
 */
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { copyFile, symlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { settingsInfo } from '../conf/settings-registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { CommandError } from '../errors.js';
import { assertSafeStaticRoot, clearStaticRoot } from './clear.js';
import { type CollectState, type CopyRecord, type EntryKind, indexTree, loadState, saveState, storageKey } from './collect-state.js';
import { type StaticEntry, finderLocations, getFinders } from './finders.js';
import { normalizeIgnorePatterns } from './fnmatch.js';
import { DirMaker, mapLimit, removeEntry } from './fs-util.js';
import { ProgressBar } from './progress.js';
import { readLine } from './prompt.js';
import { requireStaticRoot, requireStaticUrl } from './static-settings.js';
import type { CollectedFile } from './storage.js';
import { getStorage } from './storages.js';

const CONCURRENCY = 32;

type Writable = NodeJS.WritableStream & { isTTY?: boolean };

export interface CollectOptions {
  /** Ask before overwriting a non-empty STATIC_ROOT (default false here; the command defaults to asking). */
  readonly interactive?: boolean;
  /** Delete STATIC_ROOT's contents first. */
  readonly clear?: boolean;
  /** Say what would be done; write nothing. */
  readonly dryRun?: boolean;
  /** Symlink each file instead of copying it. */
  readonly link?: boolean;
  /** Let the storage post-process (hash) the files; default true. */
  readonly postProcess?: boolean;
  /** Extra glob-style patterns to ignore (`--ignore`). */
  readonly ignorePatterns?: readonly string[];
  /** Also ignore STATICFILES_IGNORE_PATTERNS (default true; `--no-default-ignore` turns it off). */
  readonly useDefaultIgnorePatterns?: boolean;
  /** 0 quiet, 1 normal, 2 every file, 3 everything. */
  readonly verbosity?: number;
  readonly stdout?: Writable;
  readonly stderr?: Writable;
  /**
   * Asked when interactive and STATIC_ROOT is not empty, with Django's question; the answer
   * 'yes' (or true) goes ahead. Defaults to reading a line from process.stdin.
   */
  readonly confirm?: (question: string) => Promise<string | boolean> | string | boolean;
}

export interface CollectResult {
  /** Paths copied or linked in this run. */
  readonly modified: string[];
  readonly unmodified: string[];
  readonly postProcessed: string[];
  /** STATIC_ROOT. */
  readonly destination: string;
  /** Django's summary: "\n3 static files copied to '/srv/static', 10 unmodified." */
  readonly summary: string;
}

interface Planned {
  readonly entry: StaticEntry;
  /** The path inside its source folder, as Django's messages show it. */
  readonly rel: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly action: 'skip' | 'create' | 'replace';
}

export async function collectStatic(settings: LoadedSettings, options: CollectOptions = {}): Promise<CollectResult> {
  const verbosity = options.verbosity ?? 1;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const dryRun = options.dryRun === true;
  const link = options.link === true;
  const log = (message: string, level = 2): void => {
    if (verbosity >= level) stdout.write(`${message}\n`);
  };

  const staticRoot = requireStaticRoot(settings);
  requireStaticUrl(settings);
  const finders = getFinders(settings);
  const storage = getStorage(settings);
  const ignore = normalizeIgnorePatterns([
    ...(options.ignorePatterns ?? []),
    ...(options.useDefaultIgnorePatterns === false ? [] : settings.STATICFILES_IGNORE_PATTERNS),
  ]);
  assertSafeStaticRoot(staticRoot, {
    baseDir: settingsInfo(settings).baseDir,
    sourceRoots: finderLocations(finders).map((l) => l.root),
    clearing: options.clear === true,
  });

  if (options.interactive && hasEntries(staticRoot)) {
    const answer = await (options.confirm ?? ((q: string) => (stdout.write(q), readLine(process.stdin))))(confirmation(staticRoot, options));
    if (answer !== true && answer !== 'yes') throw new CommandError('Collecting static files cancelled.');
  }

  if (options.clear) await clearStaticRoot(staticRoot, { dryRun, log });

  // 1. What the finders have; the first file for a destination path wins.
  const found = new Map<string, StaticEntry>();
  const exclude = new Set([staticRoot]);
  const insideRoot = staticRoot + sep;
  for (const finder of finders) {
    for (const entry of finder.list(ignore, { exclude })) {
      if (entry.file.startsWith(insideRoot)) continue;
      if (found.has(entry.path)) {
        if (verbosity >= 1) {
          stderr.write(
            `Found another file with the destination path '${entry.path}'. It will be ignored since only the first encountered file is collected. ` +
              'If this is not what you want, make sure every static file has a unique path.\n',
          );
        }
      } else {
        found.set(entry.path, entry);
      }
    }
  }

  // 2. Decide what to do with each, from the sources' stat, STATIC_ROOT's index and the saved
  // state. Synchronous on purpose: for an unchanged re-run this is nearly all the work, and a
  // statSync loop is several times cheaper than thousands of promises.
  const cleared = options.clear === true;
  const existing: Map<string, EntryKind> = cleared ? new Map() : indexTree(staticRoot);
  const previous = cleared ? undefined : loadState(staticRoot);
  const plan: Planned[] = [];
  for (const entry of found.values()) {
    const st = statSync(entry.file);
    const rel = entry.prefix ? entry.path.slice(entry.prefix.length + 1) : entry.path;
    const kind = existing.get(entry.path);
    const action =
      kind === undefined
        ? 'create'
        : isUnmodified(kind, staticRoot, entry.path, entry.file, st, link, previous?.state.files[entry.path])
          ? 'skip'
          : 'replace';
    plan.push({ entry, rel, size: st.size, mtimeMs: st.mtimeMs, action });
  }

  // 3. Copy or link: log every file in the finders' order, then do the file operations concurrently.
  const modified: string[] = [];
  const unmodified: string[] = [];
  const records: Record<string, CopyRecord> = {};
  const work: Planned[] = [];
  for (const item of plan) {
    const { entry, rel } = item;
    records[entry.path] = [entry.file, item.size, item.mtimeMs, link ? 1 : 0];
    if (item.action === 'skip') {
      unmodified.push(entry.path);
      log(`Skipping '${rel}' (not modified)`);
      continue;
    }
    if (item.action === 'replace') log(dryRun ? `Pretending to delete '${rel}'` : `Deleting '${rel}'`);
    log(dryRun ? `Pretending to ${link ? 'link' : 'copy'} '${entry.file}'` : `${link ? 'Linking' : 'Copying'} '${entry.file}'`, dryRun ? 1 : 2);
    modified.push(entry.path);
    if (!dryRun) work.push(item);
  }
  const dirs = new DirMaker();
  const progress = verbosity === 1 ? ProgressBar.maybe(stderr, plan.length) : undefined;
  for (let i = work.length; i < plan.length; i++) progress?.tick();
  await mapLimit(work, CONCURRENCY, async ({ entry, action }) => {
    const dest = join(staticRoot, entry.path);
    // A link must be removed, not written through (that would overwrite its target, a source).
    if (action === 'replace' && (link || existing.get(entry.path) !== 'file')) await removeEntry(dest);
    await dirs.ensure(dirname(dest));
    if (link) await symlink(entry.file, dest);
    else await copyFile(entry.file, dest);
    progress?.tick();
  });
  progress?.finish();

  // 4. Post-processing by the storage.
  const postProcessed: string[] = [];
  const key = storageKey(storage.name, settings);
  let storageState: unknown = previous && previous.state.storageKey === key ? previous.state.storage : undefined;
  if (!dryRun && options.postProcess !== false && storage.postProcess) {
    const files = new Map<string, CollectedFile>();
    for (const item of plan) files.set(item.entry.path, { path: item.entry.path, file: item.entry.file, size: item.size, mtimeMs: item.mtimeMs });
    const present = new Set<string>();
    for (const [path, kind] of existing) if (kind === 'file') present.add(path);
    if (!link) for (const path of modified) present.add(path);
    const outcome = await storage.postProcess(files, {
      settings,
      staticRoot,
      staticUrl: requireStaticUrl(settings),
      existing: present,
      previousState: storageState,
      log,
    });
    for (const r of outcome.results) {
      if (r.processed) {
        postProcessed.push(r.original);
        log(`Post-processed '${r.original}' as '${r.hashed}'`);
      } else {
        log(`Skipped post-processing '${r.original}'`);
      }
    }
    storageState = outcome.state;
  }

  if (!dryRun) {
    const state: CollectState = { v: 1, files: records, storageKey: key, storage: storageState };
    await saveState(staticRoot, state, previous?.text);
  }

  const n = modified.length;
  const summary =
    `\n${n} static file${n === 1 ? '' : 's'} ${link ? 'symlinked' : 'copied'} to '${staticRoot}'` +
    `${unmodified.length ? `, ${unmodified.length} unmodified` : ''}` +
    `${postProcessed.length ? `, ${postProcessed.length} post-processed` : ''}.`;
  return { modified, unmodified, postProcessed, destination: staticRoot, summary };
}

/**
 * Whether the file already at `dest` can stay. With a saved record: the source has the same
 * size and mtime as when it was copied, and the destination is still the same kind (a link in
 * --link mode, a file otherwise). Without one (a STATIC_ROOT filled by something else), Django's
 * rule: the destination is at least as new as the source — plus, for copies, the same size.
 */
function isUnmodified(
  kind: EntryKind,
  staticRoot: string,
  path: string,
  source: string,
  st: { size: number; mtimeMs: number },
  link: boolean,
  record: CopyRecord | undefined,
): boolean {
  if (link ? kind !== 'link' : kind !== 'file') return false;
  if (record) return record[0] === source && record[1] === st.size && record[2] === st.mtimeMs && record[3] === (link ? 1 : 0);
  const dest = join(staticRoot, path);
  try {
    if (link) return readlinkSync(dest) === source;
    const d = statSync(dest);
    return d.size === st.size && d.mtimeMs >= st.mtimeMs;
  } catch {
    return false;
  }
}

function hasEntries(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** Django's question, word for word, so muscle memory and scripts that answer it keep working. */
export function confirmation(staticRoot: string, options: Pick<CollectOptions, 'dryRun' | 'clear'>): string {
  let message = '\n';
  if (options.dryRun) message += 'You have activated the --dry-run option so no files will be modified.\n\n';
  message += 'You have requested to collect static files at the destination\nlocation as specified in your settings';
  message += `:\n\n    ${resolve(staticRoot)}\n\n`;
  message += options.clear ? 'This will DELETE ALL FILES in this location!\n' : 'This will overwrite existing files!\n';
  message += "Are you sure you want to do this?\n\nType 'yes' to continue, or 'no' to cancel: ";
  return message;
}
