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
 * - Re-runs are incremental. The state saved after a run remembers, per source file, its size and
 *   mtime and the hash they produced, and per CSS file the hashed names it referred to. An
 *   unchanged file is not read again; a hashed name that exists is complete (writes are atomic)
 *   and is not written again; compressed copies are not made again. So a re-run with nothing
 *   changed costs a stat per file. Django re-hashes and rewrites everything every time.
 * - "post-processed" counts files for which something was written in this run, so an unchanged
 *   re-run reports none (Django counts every CSS file again).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedSettings } from '../conf/settings-types.js';
import { StaticManifestError } from '../errors.js';
import { isAdjustable, rewriteCss } from './css-rewrite.js';
import { DirMaker, copyFileAtomic, mapLimit, removeEntry, writeFileAtomic } from './fs-util.js';
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

/** Concurrent file operations: enough to keep the disk and zlib's thread pool busy. */
const CONCURRENCY = 16;
/** Text assets up to this size keep their bytes between hashing and compressing (one read, not two)... */
const KEEP_LIMIT = 1024 * 1024;
/** ...while the bytes kept stay under this total; beyond it, files are read again when compressed. */
const KEEP_TOTAL = 64 * 1024 * 1024;

interface ManifestState {
  readonly v: 1;
  /** Collected path -> [source file, size, mtimeMs, hash of the original content]. */
  readonly files: Record<string, [string, number, number, string]>;
  /** CSS path -> its final hashed name and the hashed name it used for each path it references. */
  readonly css: Record<string, { final: string; deps: Record<string, string> }>;
  /** Hashed name -> whether a .gz / .br copy was written (1) or would not have been smaller (0). */
  readonly compressed: Record<string, [number, number]>;
}

function asState(value: unknown): ManifestState | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const s = value as Partial<ManifestState>;
  if (s.v !== 1 || !s.files || !s.css || !s.compressed) return undefined;
  return s as ManifestState;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface ManifestStorageOptions {
  /** Django's max_post_process_passes. */
  readonly maxPostProcessPasses?: number;
}

export class ManifestStorage implements StaticStorage {
  readonly name = 'manifest';
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

    // 1. The hash of every original, from the saved state when the source is unchanged.
    const hashes = new Map<string, string>();
    const unchanged = new Set<string>();
    const kept = new Map<string, Buffer>();
    let keptBytes = 0;
    await mapLimit(names, CONCURRENCY, async (name) => {
      const f = files.get(name)!;
      const rec = prev?.files[name];
      if (rec && rec[0] === f.file && rec[1] === f.size && rec[2] === f.mtimeMs) {
        hashes.set(name, rec[3]);
        unchanged.add(name);
      } else if (isAdjustable(name) || (precompress && isCompressible(name) && f.size <= KEEP_LIMIT && keptBytes + f.size <= KEEP_TOTAL)) {
        keptBytes += f.size;
        const data = await readFile(f.file);
        kept.set(name, data);
        hashes.set(name, contentHash(data));
      } else {
        hashes.set(name, await fileHash(f.file, f.size));
      }
    });
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
    if (!cssOut) cssOut = await this.resolveCss(adjustable, files, kept, hashed, ctx.staticUrl);

    // 3. Write what is missing: hashed copies, rewritten CSS, compressed copies.
    const compressedBy = new Map<string, [number, number]>();
    const processed = new Set<string>();
    await mapLimit(names, CONCURRENCY, async (name) => {
      const f = files.get(name)!;
      const target = hashed.get(name)!;
      const dest = join(ctx.staticRoot, target);
      const css = cssOut.get(name);
      let wrote = false;
      if (!ctx.existing.has(target)) {
        if (css) await writeFileAtomic(dest, css.content, dirs);
        else await copyFileAtomic(f.file, dest, dirs);
        wrote = true;
      }
      if (precompress && isCompressible(name)) {
        const rec = prev?.compressed[target];
        if (wrote || !rec || needsCompression(name, target)) {
          const data = css ? Buffer.from(css.content) : (kept.get(name) ?? (await readFile(f.file)));
          const { gz, br } = await compress(data);
          if (gz) await writeFileAtomic(`${dest}.gz`, gz, dirs);
          else if (ctx.existing.has(`${target}.gz`)) await removeEntry(`${dest}.gz`);
          if (br) await writeFileAtomic(`${dest}.br`, br, dirs);
          else if (ctx.existing.has(`${target}.br`)) await removeEntry(`${dest}.br`);
          compressedBy.set(target, [gz ? 1 : 0, br ? 1 : 0]);
          wrote = true;
        } else {
          compressedBy.set(target, rec);
        }
      }
      if (wrote) processed.add(name);
    });

    // 4. The manifest, rewritten only when it would change.
    const paths: Record<string, string> = {};
    for (const name of names) paths[name] = hashed.get(name)!;
    const text = renderManifest(paths);
    const manifestFile = join(ctx.staticRoot, MANIFEST_NAME);
    const current = ctx.existing.has(MANIFEST_NAME) ? await readFile(manifestFile, 'utf8').catch(() => undefined) : undefined;
    if (current !== text) await writeFileAtomic(manifestFile, text, dirs);

    // Built in a fixed order so that an unchanged run saves byte-identical state (and skips the write).
    const compressed: Record<string, [number, number]> = {};
    for (const name of names) {
      const rec = compressedBy.get(hashed.get(name)!);
      if (rec) compressed[hashed.get(name)!] = rec;
    }
    const state: ManifestState = {
      v: 1,
      files: Object.fromEntries(names.map((n) => [n, [files.get(n)!.file, files.get(n)!.size, files.get(n)!.mtimeMs, hashes.get(n)!]])),
      css: Object.fromEntries(
        adjustable.map((n) => {
          const fresh = cssOut.get(n);
          return [n, { final: hashed.get(n)!, deps: fresh ? Object.fromEntries(fresh.deps) : prev!.css[n]!.deps }];
        }),
      ),
      compressed,
    };
    // Django's order: plain files first, then the CSS with their final names.
    const result = (name: string): PostProcessResult => ({ original: name, hashed: hashed.get(name)!, processed: processed.has(name) });
    const results = [...names.filter((n) => !isAdjustable(n)).map(result), ...adjustable.map(result)];
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
  ): Map<string, { content: string; deps: ReadonlyMap<string, string> }> | undefined {
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

  /** Django's post-process passes over the CSS, in memory. */
  private async resolveCss(
    adjustable: readonly string[],
    files: ReadonlyMap<string, CollectedFile>,
    kept: ReadonlyMap<string, Buffer>,
    hashed: Map<string, string>,
    staticUrl: string,
  ): Promise<Map<string, { content: string; deps: ReadonlyMap<string, string> }>> {
    const originals = new Map<string, string>();
    for (const name of adjustable) {
      const data = kept.get(name) ?? (await readFile(files.get(name)!.file));
      try {
        originals.set(name, utf8.decode(data));
      } catch {
        throw new StaticManifestError(`Post-processing '${name}' failed: ${files.get(name)!.file} is not valid UTF-8.`);
      }
    }
    // Deepest first, like Django, so nested CSS settles in fewer passes.
    const order = [...adjustable].sort((a, b) => b.split('/').length - a.split('/').length);
    const out = new Map<string, { content: string; deps: ReadonlyMap<string, string> }>();
    const pass = (): boolean => {
      let changed = false;
      for (const name of order) {
        const result = rewriteCss(originals.get(name)!, { name, staticUrl, lookup: (p) => hashed.get(p) });
        const next = hashedName(name, contentHash(result.content));
        if (next !== hashed.get(name)) changed = true;
        hashed.set(name, next);
        out.set(name, result);
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
