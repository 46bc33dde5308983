/**
 * App assembly: settings in, a ready Fastify instance out. The order of what runs for a request
 * is this file, top to bottom:
 *
 *   1. host check (onRequest)   ALLOWED_HOSTS before anything else reads the request, so no code
 *                               ever sees an unchecked Host; also decides https-ness once.
 *   2. cookies, bodies          @fastify/cookie (parsed when request.COOKIES is first read);
 *                               forms, JSON and any other body, for any method, as Django
 *                               reads them (request-bodies.ts).
 *   3. static files (DEBUG)     served before the site's routes, like runserver; off in production.
 *   4. routes                   Fastify's router; each route runs the middleware pipeline + view.
 *   5. not found                routes Fastify cannot express, then a 404 through the pipeline
 *                               (so APPEND_SLASH, broken-link mail and headers apply).
 *   6. error handler            a body Fastify could not read or parse is left for the view to
 *                               find (request.body throws why), through steps 4 and 5 as any
 *                               request; whatever else escaped becomes a plain page.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireSecretKey } from '../conf/load-settings.js';
import { registerSettingsSecrets } from '../conf/mask.js';
import { activateSettings, getSettings, settingsConfigured, settingsInfo } from '../conf/settings-registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { BadRequest, DisallowedHost } from '../errors.js';
import { registerStaticRootServing, registerStaticServing } from '../staticfiles/serve.js';
import { createStaticUrlResolver } from '../staticfiles/url.js';
import { createTemplateEngine, type TemplateEngine } from '../templates/index.js';
import { activateResolver } from '../urls/active.js';
import type { RouteParams } from '../urls/patterns.js';
import { buildResolver, type CompiledRoute, UrlResolver } from '../urls/resolver.js';
import { clientErrorHandler } from './client-error.js';
import { errorPage, type FunnelContext, logSecurityError, responseForError } from './error-funnel.js';
import { createHostValidator, getRawHost, isSecureRequest } from './hosts.js';
import { logResponse } from './log-response.js';
import { logResponsesOf, markRequestStart } from './access-log.js';
import { getLogger } from '../log/logger.js';
import { configureLogging } from '../log/configure.js';
import { buildMiddleware, type Middleware } from './middleware.js';
import './middleware/builtin.js';
import { runPipeline } from './pipeline.js';
import { HttpRequest, requestState } from './request.js';
import { acceptRequestBodies, bodyErrorOf, bodyLimit } from './request-bodies.js';
import { isForeignTarget } from './request-target.js';
import { HttpResponse } from './response.js';
import { lazySchemaController } from './schema-compilers.js';
import { sendResponse, sendViewResponse } from './send.js';
import './services.js';

export interface AppOptions {
  /** Serve static files even with DEBUG false (runserver --insecure). */
  insecure?: boolean;
  /** Never serve static files (runserver --nostatic). */
  nostatic?: boolean;
  /** Log every response on 'reinhardt.server' (runserver and serve). */
  accessLog?: boolean;
}

export interface ReinhardtApp {
  readonly fastify: FastifyInstance;
  readonly settings: LoadedSettings;
  readonly resolver: UrlResolver;
  readonly templates: TemplateEngine | undefined;
  close(): Promise<void>;
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const ROUTED_METHODS = new Set(ALL_METHODS);

/**
 * Fastify and its plugins are loaded by the first app built, not by every import of the
 * framework: commands that never serve (check, diffsettings, generatesecretkey, startproject)
 * start without them, about 200 ms sooner. createApp starts these imports before anything else,
 * so that they load while LOGGING, the URLconf and the templates are set up: importing each
 * where it is first used made `serve` about 90 ms slower to its first request.
 */
function loadWebStack(withStatic: boolean) {
  const loading = Promise.all([
    import('fastify'),
    import('@fastify/cookie'),
    // Only a hint, so its failure is not this promise's: staticfiles/serve.ts imports it where it
    // mounts (the same module by then), and reports a failure there.
    withStatic ? import('@fastify/static').catch(() => undefined) : undefined,
  ]).then(([fastify, cookie]) => ({ Fastify: fastify.default, cookie: cookie.default }));
  // Awaited in createApp; a failure is reported there, not as an unhandled rejection if
  // createApp fails first.
  loading.catch(() => undefined);
  return loading;
}

export async function createApp(settings: LoadedSettings, options: AppOptions = {}): Promise<ReinhardtApp> {
  requireSecretKey(settings, settingsInfo(settings).file);
  // The technical 500 page is only as good as the stack: Node keeps 10 frames by default, and
  // Fastify's own frames take most of them.
  if (settings.DEBUG && Error.stackTraceLimit < 50) Error.stackTraceLimit = 50;
  registerSettingsSecrets(settings);
  // Static files (step 3 below): a one-box production server serves the collected STATIC_ROOT;
  // otherwise DEBUG (or --insecure) serves straight from the finders.
  const staticFrom = settings.SERVE_STATIC_ROOT && !settings.DEBUG ? 'root' : options.nostatic ? undefined : 'finders';
  const webStack = loadWebStack(staticFrom === 'root' || (staticFrom === 'finders' && (settings.DEBUG || options.insecure === true)));
  // LOGGING over DEFAULT_LOGGING: where request errors, security records and access logs go.
  await configureLogging(settings);
  const { baseDir } = settingsInfo(settings);

  const resolver = settings.ROOT_URLCONF ? await buildResolver(settings.ROOT_URLCONF, baseDir) : new UrlResolver([]);
  // What site code reaches without being handed it (getSettings(), reverse(), signers and mail
  // helpers with no explicit settings) is this site's from now on, as after Django's setup().
  // The framework itself always passes its settings along; close() puts back what was there.
  const previousSettings = settingsConfigured() ? getSettings() : undefined;
  activateSettings(settings);
  activateResolver(resolver);
  const staticUrl = settings.STATIC_URL === null ? undefined : createStaticUrlResolver(settings);
  const templates = settings.TEMPLATES.length
    ? createTemplateEngine(settings, {
        globals: {
          url: (name: string, params?: Record<string, unknown> | unknown[]) => resolver.reverse(name, params),
          static: (path: string) => {
            if (!staticUrl) throw new Error('static() needs STATIC_URL to be set.');
            return staticUrl(path);
          },
        },
      })
    : undefined;
  const ctx: FunnelContext = { settings, resolver, templates };
  const chain = await buildMiddleware({ settings, resolver });

  const { Fastify, cookie } = await webStack;
  const fastify = Fastify({
    logger: false,
    trustProxy: false,
    bodyLimit: bodyLimit(settings),
    return503OnClosing: true,
    clientErrorHandler,
    schemaController: lazySchemaController,
    // Malformed URLs (bad percent-encoding) skip setErrorHandler unless routed here.
    frameworkErrors: (error, req, reply) => {
      const request = new HttpRequest(req, settings);
      const response = responseForError(error, request, ctx);
      logResponse(request, response, error);
      return sendResponse(reply, response);
    },
  });
  fastify.decorate('reinhardt', { settings, resolver, templates });

  // The access log (access-log.ts) is fed by Node's response-finish channel, not by a hook; LOGGING
  // is applied by now, so a server whose access log goes nowhere ('reinhardt.server' sent to
  // 'null') does not even note when its requests start.
  const serverLogger = getLogger('reinhardt.server');
  const accessLog = options.accessLog === true && serverLogger.isEnabledFor('ERROR');
  if (accessLog) {
    // Until the server has closed and its last connection ended (in-flight requests of a
    // graceful stop are still logged); Fastify closes the server even if it never listened.
    fastify.server.once('close', logResponsesOf(fastify.server, serverLogger));
  }

  // 1. host check
  const validateHost = createHostValidator(settings);
  fastify.addHook('onRequest', (req, reply, done) => {
    if (accessLog) markRequestStart(req.raw, reply);
    const state = requestState(req);
    state.secure = isSecureRequest(req.headers, settings, req.protocol === 'https');
    try {
      state.host = validateHost(getRawHost(req.headers, settings, { secure: state.secure, socket: req.socket }));
    } catch (err) {
      if (!(err instanceof DisallowedHost)) throw err;
      const request = new HttpRequest(req, settings);
      let response;
      if (settings.DEBUG) {
        response = responseForError(err, request, ctx);
      } else {
        // The page for a bad host never goes through the site's templates in production:
        // rendering them could build links from the very Host header that was refused.
        logSecurityError(err, request);
        response = errorPage(400, request, { ...ctx, templates: undefined });
      }
      logResponse(request, response, err);
      sendResponse(reply, response);
      return;
    }
    if (isForeignTarget(req.raw.url ?? '')) {
      // 'GET ftp://host/staff/': the router does not reduce such a target to its path, so the
      // site and the router would each see another one (request-target.ts).
      const request = new HttpRequest(req, settings);
      const err = new BadRequest('The request target is neither a path nor an http(s) URL.');
      const response = responseForError(err, request, ctx);
      logResponse(request, response, err);
      sendResponse(reply, response);
      return;
    }
    done();
  });

  // 2. cookies and bodies
  // No parsing hook: request.COOKIES parses on first use, so a request that never reads a cookie
  // pays nothing. Setting cookies still goes through the plugin's onSend writer.
  await fastify.register(cookie, { hook: false });
  acceptRequestBodies(fastify, settings);

  // 3. static files, one mount per prefix
  if (staticFrom === 'root') registerStaticRootServing(fastify, settings);
  else if (staticFrom === 'finders') registerStaticServing(fastify, settings, { insecure: options.insecure === true });

  // 4. routes
  for (const [url, routes] of resolver.fastifyGroups()) {
    fastify.route({ method: ALL_METHODS, url, handler: routeHandler(routes, chain, ctx) });
  }

  // 5. not found: the routes Fastify's router cannot hold (fallbacks), and every route for a
  // method it was not given (TRACE, PROPFIND, ...): as in Django, a view sees any method the HTTP
  // layer accepts, and decides itself whether to answer 405.
  const fallbacks = resolver.fallbackRoutes();
  fastify.setNotFoundHandler((req, reply) => {
    const request = new HttpRequest(req, settings);
    const candidates = ROUTED_METHODS.has(req.method) ? fallbacks : resolver.routes;
    const match = candidates.length ? resolver.resolve(request.rawPath, candidates) : undefined;
    if (match) return serve(reply, request, match.route, match.params, chain, ctx);
    return send(reply, runPipeline(request, undefined, {}, chain, ctx));
  });

  // 6. whatever escaped the pipeline, and a body that could not be read
  const answerError = (error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const request = new HttpRequest(req, settings);
    const response = responseForError(error, request, ctx);
    logResponse(request, response, error);
    return sendResponse(reply, response);
  };
  fastify.setErrorHandler((error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const state = requestState(req);
    if (state.bodyFailure !== undefined || bodyErrorOf(error, settings) === undefined) return answerError(error, req, reply);
    // Fastify gave up on the body before the route's handler ran: the request goes on to the
    // handler all the same, and request.body throws why when read (request-bodies.ts).
    state.bodyFailure = error;
    try {
      const sent: unknown = req.routeOptions.handler.call(fastify, req, reply);
      // A reply is thenable too (it resolves once sent); a promise is the pipeline still working.
      if (sent !== reply && isThenable(sent)) {
        return Promise.resolve(sent).then(
          () => undefined,
          (err: unknown) => void answerError(err, req, reply),
        );
      }
    } catch (err) {
      // Fastify would hand what the handler throws here to its own error handler, not to this one.
      return answerError(err, req, reply);
    }
    return undefined;
  });

  await fastify.ready();
  return {
    fastify,
    settings,
    resolver,
    templates,
    close: async () => {
      await fastify.close();
      if (settingsConfigured() && getSettings() === settings) activateSettings(previousSettings);
    },
  };
}

function routeHandler(routes: readonly CompiledRoute[], chain: readonly Middleware[], ctx: FunnelContext) {
  const settings = ctx.settings;
  return (req: FastifyRequest, reply: FastifyReply) => {
    const raw = req.params as Record<string, string | undefined>;
    for (const route of routes) {
      const params = UrlResolver.matchFastifyParams(route, raw);
      if (params) return serve(reply, new HttpRequest(req, settings), route, params, chain, ctx);
    }
    // The shape matched but no converter accepted the values ('/stores/abc/' for <int:id>).
    return send(reply, runPipeline(new HttpRequest(req, settings), undefined, {}, chain, ctx));
  };
}

function serve(
  reply: FastifyReply,
  request: HttpRequest,
  route: CompiledRoute,
  params: RouteParams,
  chain: readonly Middleware[],
  ctx: FunnelContext,
): FastifyReply | Promise<FastifyReply> {
  request.resolverMatch = { route: route.route, name: route.name, params };
  return send(reply, runPipeline(request, route.view, params, chain, ctx));
}

/** Send the pipeline's response, at once when it is ready (no promise for a synchronous request). */
function send(reply: FastifyReply, response: HttpResponse | Promise<HttpResponse>): FastifyReply | Promise<FastifyReply> {
  return response instanceof HttpResponse ? sendViewResponse(reply, response) : Promise.resolve(response).then((r) => sendViewResponse(reply, r));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
