/**
 * Finding a template file: each search folder in order (TEMPLATES DIRS, then each installed app's
 * `templates/` when APP_DIRS), first match wins. That order is what lets a site override an app's
 * `stores/detail.html` by putting its own under DIRS, as in Django.
 *
 * With caching on, a name is searched once: found paths are remembered for the life of the
 * process, and so are misses (an absent `404.html` is asked for on every 404) — the miss cache is
 * bounded, because names can come from requests and must not grow memory without limit.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateDoesNotExist } from '../errors.js';
import { canonicalTemplateName } from './names.js';

const MAX_REMEMBERED_MISSES = 512;

export class TemplateLoader {
  /** Search folders, in order. */
  readonly dirs: readonly string[];
  private readonly cache: boolean;
  /** canonical name -> absolute path (only when caching). */
  private readonly found = new Map<string, string>();
  /** canonical name -> paths tried (only when caching). */
  private readonly missing = new Map<string, readonly string[]>();
  /** absolute path -> the name it was found under, for error messages. */
  private readonly names = new Map<string, string>();

  constructor(dirs: readonly string[], cache: boolean) {
    this.dirs = Object.freeze([...dirs]);
    this.cache = cache;
  }

  /** The file for `name` and the name in canonical form; TemplateDoesNotExist lists every path tried. */
  find(name: string): { path: string; name: string } {
    const canonical = canonicalTemplateName(name);
    if (this.cache) {
      const hit = this.found.get(canonical);
      if (hit !== undefined) return { path: hit, name: canonical };
      const tried = this.missing.get(canonical);
      if (tried) throw new TemplateDoesNotExist(canonical, tried);
    }
    const segments = canonical.split('/');
    const tried: string[] = [];
    for (const dir of this.dirs) {
      const path = join(dir, ...segments);
      tried.push(path);
      if (statSync(path, { throwIfNoEntry: false })?.isFile()) {
        this.names.set(path, canonical);
        if (this.cache) this.found.set(canonical, path);
        return { path, name: canonical };
      }
    }
    if (this.cache) {
      if (this.missing.size >= MAX_REMEMBERED_MISSES) this.missing.delete(this.missing.keys().next().value as string);
      this.missing.set(canonical, Object.freeze(tried));
    }
    throw new TemplateDoesNotExist(canonical, tried);
  }

  /** The name a found path was asked for by ('stores/detail.html'); the path itself if unknown. */
  nameOf(path: string | undefined): string {
    if (path === undefined) return '<unknown>';
    return this.names.get(path) ?? path;
  }

  /** The template's source. A file deleted since it was found is a TemplateDoesNotExist, not an I/O error. */
  read(path: string): string {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
        const name = this.nameOf(path);
        this.found.delete(name);
        throw new TemplateDoesNotExist(name, [path]);
      }
      throw err;
    }
  }
}
