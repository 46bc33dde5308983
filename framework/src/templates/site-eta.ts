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

export class SiteEta extends Eta {
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

    this.compile = (str: string, options?: Partial<Options>): TemplateFunction => {
      const name = source.nameOf(options?.filepath);
      let fnSource: string;
      try {
        fnSource = this.compileToString(str, options);
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
