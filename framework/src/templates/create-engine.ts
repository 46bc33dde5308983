/**
 * TEMPLATES -> one TemplateEngine. Each entry's BACKEND is a registered short name ('eta') or a
 * factory reference; all are built at boot, so a bad name fails then and lists the known ones.
 * One entry (the usual case) is returned as is; several are tried in order for each name, as
 * Django tries its engines. No entry at all gives an engine that explains, on first use, how to
 * configure one: a site with only JSON views needs no templates.
 */
import type { LoadedSettings, TemplateBackendSettings } from '../conf/settings-types.js';
import { ImproperlyConfigured, TemplateDoesNotExist } from '../errors.js';
import { createEtaEngine } from './eta-engine.js';
import { selectFirst } from './select.js';
import { IncludeDoesNotExist } from './template-errors.js';
import type { Template, TemplateBackendFactory, TemplateContext, TemplateEngine, TemplateRequest } from './types.js';

export const TEMPLATE_BACKENDS: Readonly<Record<string, TemplateBackendFactory>> = Object.freeze({ eta: createEtaEngine });

export interface TemplateEngineOptions {
  /** Helpers and values every template sees (`url(name, params)`, `static(path)`), lowest precedence. */
  globals?: Record<string, unknown>;
}

export function createTemplateEngine(settings: LoadedSettings, options: TemplateEngineOptions = {}): TemplateEngine {
  const globals: TemplateContext = Object.freeze({ ...options.globals });
  if (settings.TEMPLATES.length === 0) return new UnconfiguredEngine();
  const engines = settings.TEMPLATES.map((config, i) => {
    const label = `TEMPLATES[${i}]`;
    const engine = backendFactory(config, label)({ settings, config, label, globals });
    if (!engine || typeof engine.renderToString !== 'function' || typeof engine.getTemplate !== 'function') {
      throw new ImproperlyConfigured(`${label}.BACKEND: the backend factory did not return a template engine (an object with getTemplate, renderToString, ...).`);
    }
    return engine;
  });
  return engines.length === 1 ? engines[0]! : new ChainedEngine(engines);
}

function backendFactory(config: TemplateBackendSettings, label: string): TemplateBackendFactory {
  const backend = config.BACKEND;
  if (typeof backend === 'function') return backend as TemplateBackendFactory;
  const known = Object.keys(TEMPLATE_BACKENDS).map((n) => `'${n}'`).join(', ');
  if (typeof backend === 'string' && Object.hasOwn(TEMPLATE_BACKENDS, backend)) return TEMPLATE_BACKENDS[backend]!;
  throw new ImproperlyConfigured(
    `${label}.BACKEND: unknown template backend ${typeof backend === 'string' ? `'${backend}'` : 'value'}. ` +
      `Known backends: ${known}; or pass a backend factory function (args) => TemplateEngine.`,
    { code: 'RH_ERR_UNKNOWN_COMPONENT' },
  );
}

/** Several TEMPLATES entries: each name is looked for in each engine in turn. */
class ChainedEngine implements TemplateEngine {
  readonly dirs: readonly string[];
  private readonly engines: readonly TemplateEngine[];

  constructor(engines: readonly TemplateEngine[]) {
    this.engines = engines;
    this.dirs = Object.freeze(engines.flatMap((e) => e.dirs ?? []));
  }

  getTemplate(name: string): Template {
    const tried: string[] = [];
    for (const engine of this.engines) {
      try {
        return engine.getTemplate(name);
      } catch (err) {
        if (!(err instanceof TemplateDoesNotExist) || err instanceof IncludeDoesNotExist) throw err;
        tried.push(...err.tried);
      }
    }
    throw new TemplateDoesNotExist(name, tried);
  }

  selectTemplate(names: readonly string[]): Template {
    return selectFirst(names, (name) => this.getTemplate(name));
  }

  renderToString(name: string | readonly string[], context?: TemplateContext, request?: TemplateRequest): string {
    return (typeof name === 'string' ? this.getTemplate(name) : this.selectTemplate(name)).render(context, request);
  }

  async renderAsync(name: string | readonly string[], context?: TemplateContext, request?: TemplateRequest): Promise<string> {
    return (typeof name === 'string' ? this.getTemplate(name) : this.selectTemplate(name)).renderAsync(context, request);
  }

  fromString(source: string, context?: TemplateContext, request?: TemplateRequest): string {
    return this.engines[0]!.fromString(source, context, request);
  }
}

/** TEMPLATES is empty: every use says so, and how to fix it. */
class UnconfiguredEngine implements TemplateEngine {
  readonly dirs: readonly string[] = Object.freeze([]);

  private fail(): never {
    throw new ImproperlyConfigured(
      'No template engine is configured: the TEMPLATES setting is empty. Add one to your settings module, for example\n' +
        "  TEMPLATES: [{ BACKEND: 'eta', DIRS: [path.join(BASE_DIR, 'templates')], APP_DIRS: true, " +
        "OPTIONS: { context_processors: ['debug', 'request', 'static', 'csrf'] } }]",
    );
  }

  getTemplate(): Template {
    return this.fail();
  }
  selectTemplate(): Template {
    return this.fail();
  }
  renderToString(): string {
    return this.fail();
  }
  async renderAsync(): Promise<string> {
    return this.fail();
  }
  fromString(): string {
    return this.fail();
  }
}
