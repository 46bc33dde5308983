/**
 * The 'manifest' storage: Django's ManifestStaticFilesStorage. After collectstatic has copied the
 * files, post-processing writes a content-hashed copy of each (`css/site.55e7cbb9ba48.css`),
 * rewrites references inside CSS to the hashed names, optionally writes .gz/.br copies, and saves
 * staticfiles.json for the template helper.
 *
 * What differs from Django, on purpose:
 * - CSS is resolved in memory: each pass rewrites every CSS file with the current hashed names
 *   until no name changes (Django's passes, same limit, same "Max post-process passes exceeded"),
 *   and only the final content is written — no intermediate files.
 * - Re-runs are incremental. The state saved after a run remembers the hash of each file, and per
 *   CSS file the hashed names it referred to; collectstatic says which sources are unchanged
 *   since then. An unchanged file is not read again; a hashed name that exists is complete
 *   (writes are atomic) and is not written again; compressed copies are not made again; when
 *   nothing at all changed, the manifest is not even rendered. So a re-run with nothing changed
 *   costs collectstatic's stat per file. Django re-hashes and rewrites everything every time.
 * - A first run reads each file once: collectstatic hands over the bytes it copied. A hashed
 *   name whose bytes equal that copy (any file but rewritten CSS) is a hard link to it, not a
 *   second copy: the same names and bytes as Django's, without a second inode (fs-util.ts linkFile).
 * - "post-processed" counts files for which something was written in this run, so an unchanged
 *   re-run reports none (Django counts every CSS file again).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedSettings } from '../conf/settings-types.js';
import { StaticManifestError } from '../errors.js';
import { isAdjustable, rewriteCss } from './css-rewrite.js';
import { DirMaker, copyFileAtomic, linkFile, mapLimit, removeEntry, writeFileAtomic } from './fs-util.js';
import { contentHash, fileHash, hashedName } from './hashed-name.js';
import { MANIFEST_NAME, renderManifest } from './manifest-file.js';
import { manifestUrlResolver } from './manifest-url.js';
import { compress, isCompressible } from './precompress.js';
import {
  type CollectedFile,
  type PostProcessContext,
  type PostProcessOutcome,
  type PostProcessResult,
  type StaticStorage,
  plainUrlResolver,
} from './storage.js';

/** Files compressed at once: enough to keep zlib busy on every thread of libuv's pool. */
const CONCURRENCY = 16;
/** Text assets up to this size keep their bytes between hashing and compressing (one read, not two)... */
const KEEP_LIMIT = 1024 * 1024;
/** ...while the bytes kept stay under this total; beyond it, files are read again when compressed. */
const KEEP_TOTAL = 64 * 1024 * 1024;

interface ManifestState {
  readonly v: 2;
  /** Collected path -> hash of its original content (still valid while collectstatic reports it unchanged). */
  readonly files: Record<string, string>;
  /** CSS path -> its final hashed name and the hashed name it used for each path it references. */
  readonly css: Record<string, { final: string; deps: Record<string, string> }>;
  /** Hashed name -> whether a .gz / .br copy was written (1) or would not have been smaller (0). */
  readonly compressed: Record<string, [number, number]>;
}

function asState(value: unknown): ManifestState | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const s = value as Partial<ManifestState>;
  if (s.v !== 2 || !s.files || !s.css || !s.compressed) return undefined;
  return s as ManifestState;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface ResolvedCss {
  readonly content: string;
  readonly deps: ReadonlyMap<string, string>;
  /** Whether rewriting changed anything: if not, the hashed name can be a link to the copy. */
  readonly rewritten: boolean;
}

export interface ManifestStorageOptions {
  /** Django's max_post_process_passes. */
  readonly maxPostProcessPasses?: number;
}

export class ManifestStorage implements StaticStorage {
  readonly name = 'manifest';
  /** An unchanged run writes nothing and returns its previous state (step 5 of postProcess). */
  readonly incremental = true;
  readonly maxPostProcessPasses: number;

  constructor(options: ManifestStorageOptions = {}) {
    this.maxPostProcessPasses = options.maxPostProcessPasses ?? 5;
  }

  /** Hashed URLs in production; in DEBUG, plain URLs so edits show without collecting. */
  urlResolver(settings: LoadedSettings): (path: string) => string {
    return settings.DEBUG ? plainUrlResolver(settings) : manifestUrlResolver(settings);
  }

  async postProcess(files: ReadonlyMap<string, CollectedFile>, ctx: PostProcessContext): Promise<PostProcessOutcome> {
    const prev = asState(ctx.previousState);
    const precompress = ctx.settings.STATICFILES_PRECOMPRESS;
    const names = [...files.keys()];
    const dirs = new DirMaker();

    // 1. The hash of every original: from the saved state when the source is unchanged, else
    // from the bytes collectstatic copied, else read.
    const hashes = new Map<string, string>();
    const unchanged = new Set<string>();
    const kept = new Map<string, Uint8Array>();
    let keptBytes = 0;
    for (const name of names) {
      const f = files.get(name)!;
      const known = f.unchanged ? prev?.files[name] : undefined;
      if (known !== undefined) {
        hashes.set(name, known);
        unchanged.add(name);
        continue;
      }
      let data = f.content;
      if (!data && (isAdjustable(name) || (precompress && isCompressible(name) && f.size <= KEEP_LIMIT && keptBytes + f.size <= KEEP_TOTAL))) {
        data = readFileSync(f.file);
        keptBytes += data.length;
      }
      if (data) kept.set(name, data);
      hashes.set(name, data ? contentHash(data) : fileHash(f.file, f.size));
    }
    const hashed = new Map<string, string>();
    for (const name of names) hashed.set(name, hashedName(name, hashes.get(name)!));

    // 2. CSS: reuse last run's result when nothing it depends on changed, else resolve afresh.
    const adjustable = names.filter(isAdjustable);
    const needsCompression = (name: string, target: string): boolean => {
      if (!precompress || !isCompressible(name)) return false;
      const rec = prev?.compressed[target];
      return !rec || (rec[0] === 1 && !ctx.existing.has(`${target}.gz`)) || (rec[1] === 1 && !ctx.existing.has(`${target}.br`));
    };
    let cssOut = this.reuseCss(adjustable, prev, unchanged, hashed, ctx, needsCompression);
    if (!cssOut) cssOut = this.resolveCss(adjustable, files, kept, hashed, ctx.staticUrl);

    // 3. Write the hashed names that are missing: a link to the copy when the bytes are the
    // copy's, else rewritten CSS or a copy of the source.
    const processed = new Set<string>();
    for (const name of names) {
      const target = hashed.get(name)!;
      if (ctx.existing.has(target)) continue;
      const f = files.get(name)!;
      const dest = join(ctx.staticRoot, target);
      const css = cssOut.get(name);
      if (css?.rewritten) writeFileAtomic(dest, css.content, dirs);
      else if (!(f.content && linkFile(join(ctx.staticRoot, name), dest, dirs))) {
        if (css) writeFileAtomic(dest, css.content, dirs);
        else copyFileAtomic(f.file, dest, dirs);
      }
      processed.add(name);
    }

    // 4. Compressed copies, on the thread pool.
    const compressedBy = new Map<string, [number, number]>();
    if (precompress) {
      await mapLimit(names.filter(isCompressible), CONCURRENCY, async (name) => {
        const target = hashed.get(name)!;
        const rec = prev?.compressed[target];
        if (rec && !processed.has(name) && !needsCompression(name, target)) {
          compressedBy.set(target, rec);
          return;
        }
        const css = cssOut.get(name);
        const data = css ? Buffer.from(css.content) : (kept.get(name) ?? readFileSync(files.get(name)!.file));
        const { gz, br } = await compress(data);
        const dest = join(ctx.staticRoot, target);
        if (gz) writeFileAtomic(`${dest}.gz`, gz, dirs);
        else if (ctx.existing.has(`${target}.gz`)) removeEntry(`${dest}.gz`);
        if (br) writeFileAtomic(`${dest}.br`, br, dirs);
        else if (ctx.existing.has(`${target}.br`)) removeEntry(`${dest}.br`);
        compressedBy.set(target, [gz ? 1 : 0, br ? 1 : 0]);
        processed.add(name);
      });
    }

    // Django's order: plain files first, then the CSS with their final names.
    const result = (name: string): PostProcessResult => ({ original: name, hashed: hashed.get(name)!, processed: processed.has(name) });
    const results = [...names.filter((n) => !isAdjustable(n)).map(result), ...adjustable.map(result)];

    // 5. Nothing changed at all — every file as last time, the same set of files, CSS reused,
    // nothing written — and the manifest is there: it is last run's, byte for byte (writes are
    // atomic), and so is the state.
    const untouched =
      prev !== undefined &&
      processed.size === 0 &&
      cssOut.size === 0 &&
      unchanged.size === names.length &&
      names.length === Object.keys(prev.files).length &&
      ctx.existing.has(MANIFEST_NAME);
    if (untouched) return { results, state: prev };

    // 6. The manifest, rewritten only when it would change.
    const paths: Record<string, string> = {};
    for (const name of names) paths[name] = hashed.get(name)!;
    const text = renderManifest(paths);
    const manifestFile = join(ctx.staticRoot, MANIFEST_NAME);
    if (readText(manifestFile, ctx.existing.has(MANIFEST_NAME)) !== text) writeFileAtomic(manifestFile, text, dirs);

    // Built in a fixed order so that unchanged content gives byte-identical state.
    const compressed: Record<string, [number, number]> = {};
    for (const name of names) {
      const rec = compressedBy.get(hashed.get(name)!);
      if (rec) compressed[hashed.get(name)!] = rec;
    }
    const state: ManifestState = {
      v: 2,
      files: Object.fromEntries(names.map((n) => [n, hashes.get(n)!])),
      css: Object.fromEntries(
        adjustable.map((n) => {
          const fresh = cssOut.get(n);
          return [n, { final: hashed.get(n)!, deps: fresh ? Object.fromEntries(fresh.deps) : prev!.css[n]!.deps }];
        }),
      ),
      compressed,
    };
    return { results, state };
  }

  /**
   * Last run's CSS names, when every CSS file is unchanged, every name it referred to is still the
   * same, and its outputs are all present. Returns an empty content map (nothing to write), or
   * undefined when the CSS must be resolved again.
   */
  private reuseCss(
    adjustable: readonly string[],
    prev: ManifestState | undefined,
    unchanged: ReadonlySet<string>,
    hashed: Map<string, string>,
    ctx: PostProcessContext,
    needsCompression: (name: string, target: string) => boolean,
  ): Map<string, ResolvedCss> | undefined {
    if (!prev) return adjustable.length ? undefined : new Map();
    const finals = new Map<string, string>();
    for (const name of adjustable) {
      const rec = prev.css[name];
      if (!rec || !unchanged.has(name) || !ctx.existing.has(rec.final) || needsCompression(name, rec.final)) return undefined;
      finals.set(name, rec.final);
    }
    const current = (p: string): string | undefined => finals.get(p) ?? hashed.get(p);
    for (const name of adjustable) {
      for (const [dep, used] of Object.entries(prev.css[name]!.deps)) if (current(dep) !== used) return undefined;
    }
    for (const [name, final] of finals) hashed.set(name, final);
    return new Map();
  }

  /** Django's post-process passes over the CSS, in memory; only the final content is written. */
  private resolveCss(
    adjustable: readonly string[],
    files: ReadonlyMap<string, CollectedFile>,
    kept: ReadonlyMap<string, Uint8Array>,
    hashed: Map<string, string>,
    staticUrl: string,
  ): Map<string, ResolvedCss> {
    const originals = new Map<string, string>();
    for (const name of adjustable) {
      const data = kept.get(name) ?? readFileSync(files.get(name)!.file);
      try {
        originals.set(name, utf8.decode(data));
      } catch {
        throw new StaticManifestError(`Post-processing '${name}' failed: ${files.get(name)!.file} is not valid UTF-8.`);
      }
    }
    // Deepest first, like Django, so nested CSS settles in fewer passes.
    const order = [...adjustable].sort((a, b) => b.split('/').length - a.split('/').length);
    const out = new Map<string, ResolvedCss>();
    const pass = (): boolean => {
      let changed = false;
      for (const name of order) {
        const original = originals.get(name)!;
        const result = rewriteCss(original, { name, staticUrl, lookup: (p) => hashed.get(p) });
        const next = hashedName(name, contentHash(result.content));
        if (next !== hashed.get(name)) changed = true;
        hashed.set(name, next);
        out.set(name, { ...result, rewritten: result.content !== original });
      }
      return changed;
    };
    pass();
    let changed = false;
    for (let i = 0; i < this.maxPostProcessPasses; i++) {
      changed = pass();
      if (!changed) break;
    }
    if (changed) {
      throw new StaticManifestError(
        `Max post-process passes exceeded: after ${this.maxPostProcessPasses} passes the hashed names of these CSS files still change, ` +
          `which happens when CSS files reference each other in a cycle: ${order.join(', ')}.`,
      );
    }
    return out;
  }
}

/** A file's text, or undefined when it is not there (or, known absent, not even looked for). */
function readText(file: string, mayExist: boolean): string | undefined {
  if (!mayExist) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
