/**
 * collectStatic(): gather every file the finders know into STATIC_ROOT for a separate web server
 * — the DEBUG=false column of Table 5-1 — then let the storage post-process them (hashed names,
 * staticfiles.json). The `collectstatic` command is a thin shell around this; its messages are
 * Django's.
 *
 * Work is split so that a re-run with nothing changed is cheap: the finders list files (readdir),
 * every source is stat'ed once, STATIC_ROOT is indexed with one readdir per folder, and the
 * saved state says which sources are unchanged since they were copied. On a first run each
 * source is read once: the bytes copied are handed to the storage, which hashes them instead of
 * reading the file again (and may hard-link the copy to its hashed name). File operations are
 * synchronous; fs-util.ts says why.
 */
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { settingsInfo } from '../conf/settings-registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { CommandError } from '../errors.js';
import { assertSafeStaticRoot, clearStaticRoot } from './clear.js';
import { type CollectState, type CopyRecord, type EntryKind, indexTree, loadState, saveState, storageKey } from './collect-state.js';
import { type StaticEntry, finderLocations, getFinders } from './finders.js';
import { normalizeIgnorePatterns } from './fnmatch.js';
import { DirMaker } from './fs-util.js';
import { placeFile } from './place-file.js';
import { ProgressBar } from './progress.js';
import { readLine } from './prompt.js';
import { requireStaticRoot, requireStaticUrl } from './static-settings.js';
import type { CollectedFile } from './storage.js';
import { getStorage } from './storages.js';

/** Sources up to this size are read into memory when copied, so the storage need not read them again... */
const KEEP_LIMIT = 1024 * 1024;
/** ...while the bytes kept stay under this total; beyond it, the kernel copies and the storage reads. */
const KEEP_TOTAL = 64 * 1024 * 1024;

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
  readonly mode: number;
  readonly action: 'skip' | 'create' | 'replace';
  /** Same source, size and mtime as the previous run recorded. */
  readonly unchanged: boolean;
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
  // state: for an unchanged re-run this is nearly all the work.
  const cleared = options.clear === true;
  const existing: Map<string, EntryKind> = cleared ? new Map() : indexTree(staticRoot);
  const previous = cleared ? undefined : loadState(staticRoot);
  const plan: Planned[] = [];
  for (const entry of found.values()) {
    const st = statSync(entry.file);
    const rel = entry.prefix ? entry.path.slice(entry.prefix.length + 1) : entry.path;
    const kind = existing.get(entry.path);
    const record = previous?.state.files[entry.path];
    const unchanged = record !== undefined && record[0] === entry.file && record[1] === st.size && record[2] === st.mtimeMs;
    const action = kind === undefined ? 'create' : isUnmodified(kind, staticRoot, entry.path, entry.file, st, link, record) ? 'skip' : 'replace';
    plan.push({ entry, rel, size: st.size, mtimeMs: st.mtimeMs, mode: st.mode & 0o777, action, unchanged });
  }

  // 3. Copy or link, logging every file in the finders' order. When the storage will
  // post-process, small copies keep their bytes for it.
  const postProcessing = !dryRun && options.postProcess !== false && storage.postProcess !== undefined;
  const modified: string[] = [];
  const unmodified: string[] = [];
  const records: Record<string, CopyRecord> = {};
  const contents = new Map<string, Buffer>();
  let keptBytes = 0;
  const dirs = new DirMaker();
  const progress = verbosity === 1 ? ProgressBar.maybe(stderr, plan.length) : undefined;
  for (const item of plan) {
    const { entry, rel } = item;
    records[entry.path] = [entry.file, item.size, item.mtimeMs, link ? 1 : 0];
    if (item.action === 'skip') {
      unmodified.push(entry.path);
      log(`Skipping '${rel}' (not modified)`);
      progress?.tick();
      continue;
    }
    if (item.action === 'replace') log(dryRun ? `Pretending to delete '${rel}'` : `Deleting '${rel}'`);
    log(dryRun ? `Pretending to ${link ? 'link' : 'copy'} '${entry.file}'` : `${link ? 'Linking' : 'Copying'} '${entry.file}'`, dryRun ? 1 : 2);
    modified.push(entry.path);
    if (dryRun) {
      progress?.tick();
      continue;
    }
    const keep = postProcessing && !link && item.size <= KEEP_LIMIT && keptBytes + item.size <= KEEP_TOTAL;
    const data = placeFile(entry.file, join(staticRoot, entry.path), { existing: existing.get(entry.path), link, keep, mode: item.mode, dirs });
    if (data) {
      contents.set(entry.path, data);
      keptBytes += data.length;
    }
    progress?.tick();
  }
  progress?.finish();

  // 4. Post-processing by the storage. Its saved part is only valid with the copy records it was
  // made beside, so a run that does not post-process drops it.
  const postProcessed: string[] = [];
  const key = storageKey(storage.name, settings);
  const previousStorage: unknown = previous && previous.state.storageKey === key ? previous.state.storage : undefined;
  let storageState: unknown;
  if (postProcessing) {
    const files = new Map<string, CollectedFile>();
    for (const item of plan) {
      const content = contents.get(item.entry.path);
      files.set(item.entry.path, {
        path: item.entry.path,
        file: item.entry.file,
        size: item.size,
        mtimeMs: item.mtimeMs,
        unchanged: item.unchanged,
        ...(content ? { content } : {}),
      });
    }
    const present = new Set<string>();
    for (const [path, kind] of existing) if (kind === 'file') present.add(path);
    if (!link) for (const path of modified) present.add(path);
    const outcome = await storage.postProcess!(files, {
      settings,
      staticRoot,
      staticUrl: requireStaticUrl(settings),
      existing: present,
      previousState: previousStorage,
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

  // Nothing to save when every record is the previous one and the storage handed its state back
  // untouched: an unchanged re-run neither serialises nor compares a state that large.
  const sameState =
    previous !== undefined &&
    modified.length === 0 &&
    storageState === previousStorage &&
    previous.state.storageKey === key &&
    plan.length === Object.keys(previous.state.files).length &&
    plan.every((item) => item.unchanged && previous.state.files[item.entry.path]![3] === (link ? 1 : 0));
  if (!dryRun && !sameState) {
    const state: CollectState = { v: 1, files: records, storageKey: key, storage: storageState };
    saveState(staticRoot, state, previous?.text);
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
