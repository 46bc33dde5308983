/**
 * eta, taught the site's template lookup and error reporting. eta's own lookup is one views folder
 * relative to the including file; replacing `resolvePath` and `readFile` (as eta documents) makes
 * layouts and includes use the same DIRS-then-app-folders search as top-level templates.
 *
 * Templates are always compiled with eta's `debug` on: it records the line of each tag as the
 * template runs, which is how a runtime error gets its line. Measured on this machine it costs
 * nothing visible next to a non-debug render (a property store per tag and one try block), so
 * production errors are located as well as development ones.
 */
import { Eta, type EtaConfig, EtaParseError, type Options, type TemplateFunction } from 'eta';
import { TemplateDoesNotExist, TemplateSyntaxError } from '../errors.js';
import { type CompilerParts, locateParseError, locateSyntaxError } from './locate-error.js';
import { readOnly } from './read-only-data.js';
import { asTemplateError, IncludeDoesNotExist } from './template-errors.js';

/** Where SiteEta finds templates: the engine's loader. */
export interface TemplateSource {
  /** Absolute path of a template name; throws TemplateDoesNotExist or SuspiciousFileOperation. */
  resolve(name: string): string;
  /** The name a path was found under, for messages. */
  nameOf(path: string | undefined): string;
  read(path: string): string;
}

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as FunctionConstructor;

type Data = Record<string, unknown>;
type RenderMeta = Parameters<Eta['render']>[2];

/**
 * A copy of `base` with `extra` over it: what eta's compiled `{...base, ...extra}` makes. The
 * data is frozen (read-only-data.ts), and V8 (Node 20) spreads a frozen object on its slow path,
 * property by property through the runtime; Object.assign copies the same own enumerable
 * properties in the same order for less (rendering the 404 page: 114.2k -> 110.4k
 * instructions a request, the menu 267.9k -> 262.2k, scripts/bench/instructions.sh). Where
 * assigning is not defining (an own '__proto__' key, which assignment would take for the
 * prototype; a key that a frozen Object.prototype makes read-only, where assignment throws),
 * the spread itself is used.
 */
function copyData(base: Data, extra: Data | undefined | null): Data {
  if (Object.hasOwn(base, '__proto__') || (extra != null && Object.hasOwn(extra, '__proto__'))) return { ...base, ...extra };
  try {
    const out = Object.assign({}, base);
    return extra == null ? out : Object.assign(out, extra);
  } catch {
    return { ...base, ...extra };
  }
}

/**
 * eta's compiled code copies the caller's data for each include (`{...it, ...data}`) and, for a
 * layout, twice (`{...it, body, ...layoutData, __blocks}`, then the include's own copy of it):
 * those spreads become copyData calls, and a layout one copy. An eta whose generated code reads
 * otherwise keeps its spreads (test/framework/templates/render.test.ts fails when it does).
 */
function withCopies(fnSource: string, varName: string): string {
  const it = varName;
  const callerSpread = `{...${it}, ...(__eta_d ?? {})}`;
  const layoutParts = 'body: __eta.res, ...__eta.layoutData, __blocks: __eta.blocks';
  const layoutSpread = `{...${it}, ${layoutParts}}`;
  const rewrites: [string, string][] = [
    [`this.render(__eta_t, ${callerSpread}, options)`, `this.copyThenRender(__eta_t, ${it}, __eta_d, options)`],
    [`this.renderAsync(__eta_t, ${callerSpread}, options)`, `this.copyThenRenderAsync(__eta_t, ${it}, __eta_d, options)`],
    [`include (__eta.layout, ${layoutSpread})`, `this.copyThenRender(__eta.layout, ${it}, {${layoutParts}}, options)`],
    [`await includeAsync (__eta.layout, ${layoutSpread})`, `await this.copyThenRenderAsync(__eta.layout, ${it}, {${layoutParts}}, options)`],
  ];
  return rewrites.reduce((source, [from, to]) => source.split(from).join(to), fnSource);
}

export class SiteEta extends Eta {
  /** An include or a layout of compiled code (withCopies): `data` over a copy of the caller's. */
  readonly copyThenRender: (template: string, base: Data, data: Data | undefined, options: RenderMeta) => string;
  readonly copyThenRenderAsync: (template: string, base: Data, data: Data | undefined, options: RenderMeta) => Promise<string>;

  constructor(source: TemplateSource, config: Partial<EtaConfig>) {
    super({ ...config, debug: true, cacheFilepaths: false, varName: 'it', useWith: false });

    // Only layouts and includes come through here (top-level renders are looked up by the engine),
    // so `options.filepath` is always the template that asked.
    this.resolvePath = (name: string, options?: Partial<Options>): string => {
      try {
        return source.resolve(name);
      } catch (err) {
        if (err instanceof TemplateDoesNotExist && !(err instanceof IncludeDoesNotExist) && options?.filepath !== undefined) {
          throw new IncludeDoesNotExist(err.template, err.tried, source.nameOf(options.filepath));
        }
        throw err;
      }
    };

    this.readFile = (path: string): string => source.read(path);

    // Layouts and includes: eta hands each one a new object spread from the caller's data, which
    // is read-only from here on like the top-level data (read-only-data.ts).
    const render = this.render;
    const renderAsync = this.renderAsync;
    this.render = (template, data, meta) => render.call(this, template, readOnly(data), meta);
    this.renderAsync = (template, data, meta) => renderAsync.call(this, template, readOnly(data), meta);
    this.copyThenRender = (template, base, data, options) => this.render(template, copyData(base, data), options);
    this.copyThenRenderAsync = (template, base, data, options) => this.renderAsync(template, copyData(base, data), options);

    this.compile = (str: string, options?: Partial<Options>): TemplateFunction => {
      const name = source.nameOf(options?.filepath);
      let fnSource: string;
      try {
        fnSource = withCopies(this.compileToString(str, options), this.config.varName);
      } catch (err) {
        if (!(err instanceof EtaParseError)) throw err;
        const { line, detail } = locateParseError(err.message);
        throw new TemplateSyntaxError(name, line, detail, { cause: err });
      }
      const ctor = options?.async ? AsyncFunction : Function;
      try {
        return new ctor(this.config.varName, 'options', fnSource) as TemplateFunction;
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        const { line, detail } = locateSyntaxError(this as unknown as CompilerParts, str, fnSource, err, options?.async === true);
        throw new TemplateSyntaxError(name, line, `SyntaxError: ${detail}`, { cause: err });
      }
    };

    // Called by eta's debug-mode catch around each template body with the line of the tag that
    // was running. An error from an inner template already carries its own location.
    this.RuntimeErr = (err: Error, _str: string, line: number, path: string): never => {
      throw asTemplateError(err, source.nameOf(path), line);
    };
  }
}
