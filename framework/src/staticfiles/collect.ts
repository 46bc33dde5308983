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
import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { settingsInfo } from '../conf/settings-registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { CommandError } from '../errors.js';
import { assertSafeStaticRoot, clearStaticRoot } from './clear.js';
import { confirmation, summaryLine } from './collect-messages.js';
import {
  type CopyRecord,
  type EntryKind,
  type Fingerprint,
  type SourceStat,
  indexTree,
  isUnmodified,
  loadState,
  rootDigest,
  saveState,
  sourcesDigest,
  storageKey,
} from './collect-state.js';
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

interface Source extends SourceStat {
  readonly entry: StaticEntry;
  readonly mode: number;
}

interface Planned extends Source {
  /** The path inside its source folder, as Django's messages show it. */
  readonly rel: string;
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

  // 2. Stat every source, once. With the saved fingerprint, that may already be the whole run.
  const cleared = options.clear === true;
  const postProcessing = !dryRun && options.postProcess !== false && storage.postProcess !== undefined;
  const key = storageKey(storage.name, settings);
  const sources: Source[] = [];
  for (const entry of found.values()) {
    const st = statSync(entry.file);
    sources.push({ entry, path: entry.path, file: entry.file, size: st.size, mtimeMs: st.mtimeMs, mode: st.mode & 0o777 });
  }
  const existing: Map<string, EntryKind> = cleared ? new Map() : indexTree(staticRoot);
  const previous = cleared ? undefined : loadState(staticRoot);
  const fingerprint = sourcesDigest(sources, JSON.stringify([key, link, postProcessing]));
  const rootBefore = cleared ? undefined : rootDigest(existing);
  // Every source as last time and STATIC_ROOT as the last run left it: there is nothing to do.
  // Only at verbosity < 2 (the per-file lines come from the full path), and only for a storage
  // whose post-processing would then do nothing either.
  if (
    !dryRun &&
    verbosity < 2 &&
    previous?.fingerprint?.sources === fingerprint &&
    previous.fingerprint.root === rootBefore &&
    (!postProcessing || storage.incremental === true)
  ) {
    const unmodified = sources.map((s) => s.path);
    return { modified: [], unmodified, postProcessed: [], destination: staticRoot, summary: summaryLine(0, unmodified.length, 0, staticRoot, link) };
  }

  // 3. Decide what to do with each, from the stat, STATIC_ROOT's index and the saved records.
  const records = previous?.state?.files;
  const plan: Planned[] = [];
  for (const source of sources) {
    const { entry } = source;
    const rel = entry.prefix ? entry.path.slice(entry.prefix.length + 1) : entry.path;
    const kind = existing.get(entry.path);
    const record = records?.[entry.path];
    const unchanged = record !== undefined && record[0] === entry.file && record[1] === source.size && record[2] === source.mtimeMs;
    const action = kind === undefined ? 'create' : isUnmodified(kind, staticRoot, entry.path, entry.file, source, link, record) ? 'skip' : 'replace';
    plan.push({ ...source, rel, action, unchanged });
  }

  // 4. Copy or link, logging every file in the finders' order. When the storage will
  // post-process, small copies keep their bytes for it.
  const modified: string[] = [];
  const unmodified: string[] = [];
  const contents = new Map<string, Buffer>();
  let keptBytes = 0;
  const dirs = new DirMaker();
  const progress = verbosity === 1 ? ProgressBar.maybe(stderr, plan.length) : undefined;
  for (const item of plan) {
    const { entry, rel } = item;
    if (item.action === 'skip') {
      unmodified.push(entry.path);
      if (verbosity >= 2) log(`Skipping '${rel}' (not modified)`);
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

  // 5. Post-processing by the storage. Its saved part is only valid with the copy records it was
  // made beside, so a run that does not post-process drops it.
  const postProcessed: string[] = [];
  const previousStorage: unknown = previous?.state?.storageKey === key ? previous.state.storage : undefined;
  let storageState: unknown;
  if (postProcessing) {
    const files = new Map<string, CollectedFile>();
    for (const item of plan) {
      const content = contents.get(item.path);
      files.set(item.path, { path: item.path, file: item.file, size: item.size, mtimeMs: item.mtimeMs, unchanged: item.unchanged, ...(content ? { content } : {}) });
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

  // 6. Save the records and the fingerprint. When nothing was written, STATIC_ROOT is as it was
  // found and the records are the previous ones: neither is listed or serialised again.
  if (!dryRun) {
    const storageWroteNothing = !postProcessing || (storage.incremental === true && storageState === previousStorage);
    const untouched = !cleared && modified.length === 0 && storageWroteNothing;
    const sameRecords =
      untouched &&
      records !== undefined &&
      previous?.state?.storageKey === key &&
      plan.length === Object.keys(records).length &&
      plan.every((item) => item.unchanged && records[item.path]![3] === (link ? 1 : 0));
    const after: Fingerprint = { sources: fingerprint, root: untouched && rootBefore !== undefined ? rootBefore : rootDigest(indexTree(staticRoot)) };
    if (!sameRecords || previous?.fingerprint?.sources !== after.sources || previous.fingerprint.root !== after.root) {
      const files: Record<string, CopyRecord> = {};
      for (const item of plan) files[item.path] = [item.file, item.size, item.mtimeMs, link ? 1 : 0];
      saveState(staticRoot, { v: 1, files, storageKey: key, storage: storageState }, after, previous?.text);
    }
  }

  return { modified, unmodified, postProcessed, destination: staticRoot, summary: summaryLine(modified.length, unmodified.length, postProcessed.length, staticRoot, link) };
}

function hasEntries(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}
