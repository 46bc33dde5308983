/**
 * The shapes the rest of the framework sees: a template engine, a loaded template, and the little
 * a context processor needs from a request. The HTTP layer's request conforms to TemplateRequest;
 * keeping it this small lets templates stay below http in the layering.
 */
import type { LoadedSettings, TemplateBackendSettings } from '../conf/settings-types.js';

/** What templates need from a request. Everything else on the request reaches templates only through the 'request' processor. */
export interface TemplateRequest {
  /** The client's address; the 'debug' processor compares it with INTERNAL_IPS. */
  readonly remoteAddr?: string | undefined;
  /** The request's CSRF token, once the CSRF middleware provides it; read lazily by the 'csrf' processor. */
  csrfToken?(): string;
  /** The request's flash messages (the 'messages' middleware); the 'messages' processor hands them to templates. */
  readonly messageStorage?: Iterable<unknown> | undefined;
}

/** Template data: what a template reads as `it.name`. */
export type TemplateContext = Readonly<Record<string, unknown>>;

/** A context processor: extra template data computed from the request, like Django's. */
export type ContextProcessor = (request: TemplateRequest) => TemplateContext;

/** A template found and compiled, ready to render many times. */
export interface Template {
  /** The canonical name it was asked for by: 'stores/detail.html'. */
  readonly name: string;
  /** The file it came from ('<string>' for fromString). */
  readonly origin: string;
  render(context?: TemplateContext, request?: TemplateRequest): string;
  renderAsync(context?: TemplateContext, request?: TemplateRequest): Promise<string>;
}

export interface TemplateEngine {
  /** The folders searched, in order (for checks and the debug page). */
  readonly dirs: readonly string[];
  /** Find and compile (cached when caching is on) without rendering. */
  getTemplate(name: string): Template;
  /** The first of `names` that exists; TemplateDoesNotExist lists the paths tried for all of them. */
  selectTemplate(names: readonly string[]): Template;
  /**
   * Render a template by name (or the first that exists of several names) with the data a
   * template sees: globals, then each context processor's output for the request (only when a
   * request is given, as in Django), then `context`, which wins.
   */
  renderToString(name: string | readonly string[], context?: TemplateContext, request?: TemplateRequest): string;
  /** Like renderToString, with the template compiled as an async function (`await` allowed in tags). */
  renderAsync(name: string | readonly string[], context?: TemplateContext, request?: TemplateRequest): Promise<string>;
  /** Render template source held in code (the framework's built-in pages). Includes use the normal lookup. */
  fromString(source: string, context?: TemplateContext, request?: TemplateRequest): string;
}

/** What a backend factory (a TEMPLATES BACKEND given as a reference) is called with. */
export interface TemplateBackendArgs {
  readonly settings: LoadedSettings;
  readonly config: TemplateBackendSettings;
  /** 'TEMPLATES[0]', for messages that name the setting. */
  readonly label: string;
  readonly globals: TemplateContext;
}

export type TemplateBackendFactory = (args: TemplateBackendArgs) => TemplateEngine;
