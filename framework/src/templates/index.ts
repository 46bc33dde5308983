/**
 * reinhardt/templates: Django's TEMPLATES on eta.
 *
 * @example
 * const engine = createTemplateEngine(settings, { globals: { url, static: staticUrl } });
 * engine.renderToString('stores/detail.html', { store }, request);
 */
export { createTemplateEngine, TEMPLATE_BACKENDS, type TemplateEngineOptions } from './create-engine.js';
export { createEtaEngine } from './eta-engine.js';
export { BUILTIN_CONTEXT_PROCESSORS, LazyString } from './context-processors.js';
export { IncludeDoesNotExist } from './template-errors.js';
export { canonicalTemplateName } from './names.js';
export type {
  ContextProcessor,
  Template,
  TemplateBackendArgs,
  TemplateBackendFactory,
  TemplateContext,
  TemplateEngine,
  TemplateRequest,
} from './types.js';
export { TemplateDoesNotExist, TemplateSyntaxError } from '../errors.js';
