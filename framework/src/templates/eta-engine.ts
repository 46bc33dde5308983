/**
 * The eta template engine: lookup, caching and the data a template sees.
 *
 * Hot path, with caching on: a name already rendered is one Map lookup to a compiled function, the
 * data is one shallow merge, frozen (read-only-data.ts: templates cannot assign into it, and
 * eta's layouts and includes run much faster from frozen data), and the function runs with a
 * per-template options object made once. No file-system call happens per render.
 */
import { appSubfolders } from '../apps/registry.js';
import type { TemplateFunction } from 'eta';
import { resolveContextProcessors } from './context-processors.js';
import { readEtaOptions } from './eta-options.js';
import { readOnly, readOnlyCopy } from './read-only-data.js';
import { TemplateLoader } from './loader.js';
import { SiteEta } from './site-eta.js';
import { asTemplateError } from './template-errors.js';
import { selectFirst } from './select.js';
import type { ContextProcessor, Template, TemplateBackendArgs, TemplateContext, TemplateEngine, TemplateRequest } from './types.js';

const EMPTY: TemplateContext = Object.freeze({});
/** The origin, and the name in messages, of templates rendered from a string. */
const STRING_ORIGIN = '<string>';
const MAX_CACHED_STRINGS = 64;

interface RunOptions {
  readonly async: boolean;
  readonly filepath: string;
}

class EtaTemplate implements Template {
  readonly name: string;
  readonly origin: string;
  private readonly engine: EtaTemplateEngine;
  private readonly fn: TemplateFunction;
  private readonly options: RunOptions;
  private readonly asyncOptions: RunOptions;
  private asyncFn: TemplateFunction | undefined;

  constructor(engine: EtaTemplateEngine, name: string, origin: string, fn: TemplateFunction) {
    this.engine = engine;
    this.name = name;
    this.origin = origin;
    this.fn = fn;
    this.options = Object.freeze({ async: false, filepath: origin });
    this.asyncOptions = Object.freeze({ async: true, filepath: origin });
  }

  render(context?: TemplateContext, request?: TemplateRequest): string {
    return this.engine.run(this.name, this.fn, this.options, context, request);
  }

  async renderAsync(context?: TemplateContext, request?: TemplateRequest): Promise<string> {
    const fn = (this.asyncFn ??= this.engine.compileAsync(this.origin));
    try {
      return await this.engine.run<Promise<string>>(this.name, fn, this.asyncOptions, context, request);
    } catch (err) {
      throw asTemplateError(err, this.name, undefined);
    }
  }
}

export class EtaTemplateEngine implements TemplateEngine {
  readonly dirs: readonly string[];
  private readonly eta: SiteEta;
  private readonly loader: TemplateLoader;
  private readonly cache: boolean;
  private readonly globals: TemplateContext;
  private readonly hasGlobals: boolean;
  private readonly processors: readonly ContextProcessor[];
  /** canonical name -> template, when caching. */
  private readonly templates = new Map<string, EtaTemplate>();
  /** template source -> compiled function, for fromString, when caching. */
  private readonly strings = new Map<string, TemplateFunction>();

  constructor(args: TemplateBackendArgs) {
    const { settings, config, label } = args;
    const options = readEtaOptions(config, settings.DEBUG, label);
    const dirs = [...(config.DIRS ?? [])];
    if (config.APP_DIRS) dirs.push(...appSubfolders(settings, 'templates').map((a) => a.dir));
    this.loader = new TemplateLoader(dirs, options.cache);
    this.dirs = this.loader.dirs;
    this.cache = options.cache;
    this.globals = Object.freeze({ ...args.globals });
    this.hasGlobals = Object.keys(this.globals).length > 0;
    this.processors = Object.freeze(resolveContextProcessors(settings, options.contextProcessors, label));
    const loader = this.loader;
    this.eta = new SiteEta(
      {
        resolve: (name) => loader.find(name).path,
        nameOf: (path) => (path === STRING_ORIGIN ? STRING_ORIGIN : loader.nameOf(path)),
        read: (path) => loader.read(path),
      },
      options.eta,
    );
  }

  getTemplate(name: string): Template {
    const hit = this.templates.get(name);
    if (hit) return hit;
    const found = this.loader.find(name);
    const store = this.eta.templatesSync;
    // A template first met as an include was compiled and stored by eta under its path.
    let fn = this.cache ? (store.get(found.path) as TemplateFunction | undefined) : undefined;
    if (!fn) {
      fn = this.eta.compile(this.loader.read(found.path), { async: false, filepath: found.path });
      if (this.cache) store.define(found.path, fn);
    }
    const template = new EtaTemplate(this, found.name, found.path, fn);
    if (this.cache) this.templates.set(found.name, template);
    return template;
  }

  selectTemplate(names: readonly string[]): Template {
    return selectFirst(names, (name) => this.getTemplate(name));
  }

  renderToString(name: string | readonly string[], context?: TemplateContext, request?: TemplateRequest): string {
    return (typeof name === 'string' ? this.getTemplate(name) : this.selectTemplate(name)).render(context, request);
  }

  renderAsync(name: string | readonly string[], context?: TemplateContext, request?: TemplateRequest): Promise<string> {
    try {
      return (typeof name === 'string' ? this.getTemplate(name) : this.selectTemplate(name)).renderAsync(context, request);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  fromString(source: string, context?: TemplateContext, request?: TemplateRequest): string {
    let fn = this.cache ? this.strings.get(source) : undefined;
    if (!fn) {
      fn = this.eta.compile(source, STRING_RUN);
      if (this.cache) {
        if (this.strings.size >= MAX_CACHED_STRINGS) this.strings.delete(this.strings.keys().next().value as string);
        this.strings.set(source, fn);
      }
    }
    return this.run(STRING_ORIGIN, fn, STRING_RUN, context, request);
  }

  /** @internal The async compiled function of a found template (eta's async cache when caching). */
  compileAsync(path: string): TemplateFunction {
    const store = this.eta.templatesAsync;
    let fn = this.cache ? (store.get(path) as TemplateFunction | undefined) : undefined;
    if (!fn) {
      fn = this.eta.compile(this.loader.read(path), { async: true, filepath: path });
      if (this.cache) store.define(path, fn);
    }
    return fn;
  }

  /** @internal Run a compiled template with the merged data. */
  run<R>(name: string, fn: TemplateFunction, options: RunOptions, context: TemplateContext | undefined, request: TemplateRequest | undefined): R {
    const data = this.data(context, request);
    try {
      return fn.call(this.eta, data, options) as R;
    } catch (err) {
      // Errors inside the body were located by eta's debug catch; this only sees errors from
      // OPTIONS.functionHeader, which runs before it.
      throw asTemplateError(err, name, undefined);
    }
  }

  /** globals < each context processor (only with a request, as in Django) < the view's context. */
  private data(context: TemplateContext | undefined, request: TemplateRequest | undefined): TemplateContext {
    if (request !== undefined && this.processors.length > 0) {
      const data: Record<string, unknown> = this.hasGlobals ? { ...this.globals } : {};
      for (const processor of this.processors) Object.assign(data, processor(request));
      if (context) Object.assign(data, context);
      return readOnly(data);
    }
    if (!this.hasGlobals) return context ? readOnlyCopy(context) : EMPTY;
    return context ? readOnly({ ...this.globals, ...context }) : this.globals;
  }
}

const STRING_RUN: RunOptions = Object.freeze({ async: false, filepath: STRING_ORIGIN });

/** The 'eta' backend. */
export function createEtaEngine(args: TemplateBackendArgs): TemplateEngine {
  return new EtaTemplateEngine(args);
}
