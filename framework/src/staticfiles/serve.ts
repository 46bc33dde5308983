/**
 * Serving static files from the Fastify app, two ways:
 * - registerStaticServing: DEBUG only (runserver), straight from the finders' folders, so an edit
 *   shows on the next reload without collecting;
 * - registerStaticRootServing: the one-box production mode (SERVE_STATIC_ROOT), serving what
 *   collectstatic put in STATIC_ROOT with long-lived caching for hashed names.
 * Both sit on @fastify/static, inside their own encapsulated plugin whose onRequest guard answers
 * 404 — exactly like a missing file — to any path that is not a plain file request ('..', '.',
 * dotfiles, '//', backslashes, NUL, encoded separators or dots, double encoding). @fastify/static
 * would refuse most of these too, but with a 403 that tells a scanner it found something.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { join } from 'node:path';
import { isAppInstalled } from '../apps/registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { originForm } from '../http/request-target.js';
import { type StaticLocation, finderLocations, getFinders } from './finders.js';
import { HASHED_BASENAME } from './hashed-name.js';
import { isPlainStaticRequest } from './safe-path.js';
import { STATICFILES_APP, isAbsoluteUrl, requireStaticRoot, requireStaticUrl, staticUrlPath } from './static-settings.js';

/** Hashed names change whenever their content does, so they can be cached for good. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Unhashed names keep their URL across deploys: cache briefly. */
export const SHORT_CACHE_CONTROL = 'public, max-age=300';

/** @fastify/static is loaded only by a site that serves static files itself. */
async function loadFastifyStatic() {
  return (await import('@fastify/static')).default;
}

export interface StaticServingOptions {
  /** runserver --insecure: serve even with DEBUG false. */
  readonly insecure?: boolean;
}

/**
 * 404 for anything under `prefix` that is not a plain file request; see the file comment.
 * Callback style rather than async: it runs on every static request, and an async hook costs a
 * promise each time.
 */
function guard(prefix: string) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const raw = originForm(request.raw.url ?? '');
    const q = raw.indexOf('?');
    const path = q === -1 ? raw : raw.slice(0, q);
    if (!path.startsWith(prefix) || !isPlainStaticRequest(path.slice(prefix.length))) {
      reply.callNotFound();
      return;
    }
    done();
  };
}

/** One @fastify/static mount per STATICFILES_DIRS prefix, each with its roots in lookup order. */
export function planMounts(locations: readonly StaticLocation[]): { prefix: string; roots: string[] }[] {
  const prefixes = [''];
  for (const l of locations) if (l.prefix && !prefixes.includes(l.prefix)) prefixes.push(l.prefix);
  const mounts: { prefix: string; roots: string[] }[] = [];
  for (const prefix of prefixes) {
    const roots: string[] = [];
    for (const l of locations) {
      // A request under `prefix/` is answered, in finder order, by the locations with exactly
      // that prefix and by the folders under `prefix/` of locations with a shorter prefix (or
      // none) — the same first match findStatic() gives.
      let root: string | undefined;
      if (l.prefix === prefix) root = l.root;
      else if (l.prefix === '') root = join(l.root, prefix);
      else if (prefix.startsWith(`${l.prefix}/`)) root = join(l.root, prefix.slice(l.prefix.length + 1));
      if (root !== undefined && !roots.includes(root)) roots.push(root);
    }
    if (roots.length) mounts.push({ prefix, roots });
  }
  return mounts;
}

/**
 * Serve the finders' files at STATIC_URL — only when DEBUG is true, or when `insecure` says so
 * explicitly (runserver --insecure). Table 5-1: with DEBUG false, Django "disables automatic set
 * up to avoid security vulnerabilities and requires consolidation on a separate directory to run
 * static resources on a separate web server". The finders' folders are sources, not a reviewed
 * collection, and looking a path up in every one of them per request is a development
 * convenience, not a production file server. So in production this does nothing and returns
 * false; use collectstatic and a web server (renderNginxConfig) or registerStaticRootServing.
 *
 * Also returns false when 'reinhardt.contrib.staticfiles' is not installed, when STATIC_URL is
 * unset or another host (a CDN), or when there is no static folder. Returns true when mounted.
 */
export function registerStaticServing(app: FastifyInstance, settings: LoadedSettings, options: StaticServingOptions = {}): boolean {
  if (!settings.DEBUG && options.insecure !== true) return false;
  if (!isAppInstalled(settings, STATICFILES_APP)) return false;
  const staticUrl = settings.STATIC_URL;
  if (!staticUrl || isAbsoluteUrl(staticUrl)) return false;
  const base = staticUrlPath(staticUrl);
  const mounts = planMounts(finderLocations(getFinders(settings)));
  if (!mounts.length) return false;
  app.register(async (scope) => {
    const fastifyStatic = await loadFastifyStatic();
    scope.addHook('onRequest', guard(base));
    for (const mount of mounts) {
      await scope.register(fastifyStatic, {
        root: mount.roots,
        prefix: mount.prefix ? `${base}${mount.prefix}/` : base,
        decorateReply: false,
        wildcard: true,
        // Never 'allow' (@fastify/static's default): .env, .git and friends stay private.
        dotfiles: 'ignore',
        list: false,
        redirect: false,
        index: false,
        // A STATICFILES_DIRS folder that is missing is reported by the checks (staticfiles.W004).
        suppressWarning: true,
      });
    }
  });
  return true;
}

/**
 * Serve STATIC_ROOT at STATIC_URL from the app itself, for one-box deployments with
 * SERVE_STATIC_ROOT = true (returns false, doing nothing, when it is off). Hashed names
 * (`site.55e7cbb9ba48.css`) are sent with `Cache-Control: public, max-age=31536000, immutable`,
 * everything else with a short cache; the .br/.gz copies collectstatic wrote are chosen by the
 * request's Accept-Encoding. STATIC_ROOT is served at STATIC_URL's path even when STATIC_URL is a
 * CDN URL, so the app can be the CDN's origin.
 */
export function registerStaticRootServing(app: FastifyInstance, settings: LoadedSettings): boolean {
  if (!settings.SERVE_STATIC_ROOT) return false;
  const root = requireStaticRoot(settings);
  const base = staticUrlPath(requireStaticUrl(settings));
  app.register(async (scope) => {
    const fastifyStatic = await loadFastifyStatic();
    scope.addHook('onRequest', guard(base));
    await scope.register(fastifyStatic, {
      root,
      prefix: base,
      decorateReply: false,
      wildcard: true,
      dotfiles: 'ignore',
      list: false,
      redirect: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      suppressWarning: true,
      setHeaders(reply, path) {
        const logical = path.replace(/\.(?:br|gz)$/, '');
        reply.header('cache-control', HASHED_BASENAME.test(logical) ? IMMUTABLE_CACHE_CONTROL : SHORT_CACHE_CONTROL);
      },
    });
  });
  return true;
}
