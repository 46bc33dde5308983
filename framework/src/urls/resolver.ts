/**
 * The URL resolver: flattens ROOT_URLCONF (and every include) once at boot into compiled routes,
 * each with
 * - the Fastify URL it is served on (Fastify's router does the hot-path matching), and
 * - a full-path RegExp, used where Django's ordered matching is needed off the hot path: routes
 *   Fastify's router cannot express, APPEND_SLASH's "would the slashed URL match?", and the
 *   technical 404 page's list of patterns tried.
 * Several patterns with the same shape ('<int:id>/' and '<slug:slug>/') share one Fastify route
 * and are tried in URLconf order, so the first pattern that matches wins, as in Django.
 */
import { relative } from 'node:path';
import { ImproperlyConfigured, NoReverseMatch } from '../errors.js';
import { importFile, isDottedName, resolveDottedName } from '../utils/modules.js';
import { type Converter, getConverter, producesUrlSafeText, type TextCheck, textCheck } from './converters.js';
import type { RouteParams, UrlConfModule, UrlEntry, View } from './patterns.js';

type Part =
  | { kind: 'static'; text: string }
  | { kind: 'param'; name: string; converter: Converter; converterName: string; check: TextCheck };

export interface CompiledRoute {
  /** The full route as written, includes joined: 'stores/<int:store_id>/'. */
  readonly route: string;
  /** 'stores:detail', or undefined for unnamed patterns. */
  readonly name: string | undefined;
  readonly namespaces: readonly string[];
  readonly view: View;
  readonly parts: readonly Part[];
  /** Anchored regex over the decoded path without its leading '/'. */
  readonly regex: RegExp;
  /** The Fastify URL, or null when the router cannot express the route (matched in the fallback). */
  readonly fastifyUrl: string | null;
  /** For a Fastify route: the route parameter names in Fastify's parameter order (p0, p1, ... or '*'). */
  readonly fastifyParams: readonly { key: string; name: string; check: TextCheck; converter: Converter }[];
}

export interface ResolverMatch {
  readonly route: CompiledRoute;
  readonly params: RouteParams;
}

const PARAM = /<(?:([^>:]+):)?([^>]+)>/g;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseRoute(route: string): Part[] {
  if (route.startsWith('/')) {
    throw new ImproperlyConfigured(
      `URL route '${route}' starts with '/'. Routes are relative to their include; write '${route.replace(/^\/+/, '')}'.`,
      { code: 'RH_ERR_URL_PATTERN' },
    );
  }
  const parts: Part[] = [];
  let last = 0;
  const seen = new Set<string>();
  for (const m of route.matchAll(PARAM)) {
    const [whole, conv = 'str', name = ''] = m;
    const at = m.index ?? 0;
    if (at > last) parts.push({ kind: 'static', text: route.slice(last, at) });
    if (!IDENT.test(name)) {
      throw new ImproperlyConfigured(`URL route '${route}' uses parameter name '${name}', which is not a valid identifier.`, {
        code: 'RH_ERR_URL_PATTERN',
      });
    }
    if (seen.has(name)) {
      throw new ImproperlyConfigured(`URL route '${route}' uses parameter name '${name}' more than once.`, { code: 'RH_ERR_URL_PATTERN' });
    }
    seen.add(name);
    const converter = getConverter(conv, route);
    parts.push({ kind: 'param', name, converter, converterName: conv, check: textCheck(converter) });
    last = at + whole.length;
  }
  if (last < route.length) parts.push({ kind: 'static', text: route.slice(last) });
  for (const p of parts) {
    if (p.kind === 'static' && /[<>]/.test(p.text)) {
      throw new ImproperlyConfigured(`URL route '${route}' has an unbalanced '<' or '>'.`, { code: 'RH_ERR_URL_PATTERN' });
    }
  }
  return parts;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileRegex(parts: readonly Part[]): RegExp {
  const src = parts
    .map((p) => (p.kind === 'static' ? escapeRegex(p.text) : `(?<${p.name}>${p.converter.regex})`))
    .join('');
  return new RegExp(`^${src}$`);
}

/**
 * The Fastify URL for a route, or null. Expressible: static segments, segments that are exactly
 * one parameter (':p0'), and a 'path' parameter as the very last segment ('*').
 */
function toFastify(parts: readonly Part[]): { url: string; params: CompiledRoute['fastifyParams'] } | null {
  let url = '/';
  const params: { key: string; name: string; check: TextCheck; converter: Converter }[] = [];
  // Rebuild the route as segments, each either all static text or a single parameter.
  const segments: (string | Extract<Part, { kind: 'param' }>)[][] = [[]];
  for (const p of parts) {
    if (p.kind === 'static') {
      const pieces = p.text.split('/');
      pieces.forEach((piece, i) => {
        if (i > 0) segments.push([]);
        if (piece) segments[segments.length - 1]!.push(piece);
      });
    } else {
      segments[segments.length - 1]!.push(p);
    }
  }
  const out: string[] = [];
  for (const [i, seg] of segments.entries()) {
    if (seg.length === 0) {
      out.push('');
      continue;
    }
    if (seg.length > 1) return null;
    const only = seg[0]!;
    if (typeof only === 'string') {
      if (/[*?()]/.test(only)) return null;
      out.push(only.replace(/:/g, '::'));
      continue;
    }
    const check = only.check;
    if (only.converterName === 'path' || only.converter.regex.includes('/') || only.converter.regex === '.+') {
      if (i !== segments.length - 1) return null;
      params.push({ key: '*', name: only.name, check, converter: only.converter });
      out.push('*');
      continue;
    }
    const key = `p${params.length}`;
    params.push({ key, name: only.name, check, converter: only.converter });
    out.push(`:${key}`);
  }
  url += out.join('/');
  return { url, params };
}

export class UrlResolver {
  readonly routes: readonly CompiledRoute[];
  /** name -> how to build each route of that name, in URLconf order. */
  private readonly byName = new Map<string, ReversePlan[]>();
  private readonly namespaceNames = new Set<string>();

  constructor(routes: readonly CompiledRoute[]) {
    this.routes = routes;
    for (const r of routes) {
      for (let i = 1; i <= r.namespaces.length; i++) this.namespaceNames.add(r.namespaces.slice(0, i).join(':'));
      if (!r.name) continue;
      const list = this.byName.get(r.name) ?? [];
      list.push(reversePlan(r));
      this.byName.set(r.name, list);
    }
  }

  /** Routes grouped by Fastify URL, in URLconf order within each group. */
  fastifyGroups(): Map<string, CompiledRoute[]> {
    const groups = new Map<string, CompiledRoute[]>();
    for (const r of this.routes) {
      if (r.fastifyUrl === null) continue;
      const g = groups.get(r.fastifyUrl) ?? [];
      g.push(r);
      groups.set(r.fastifyUrl, g);
    }
    return groups;
  }

  /** Routes Fastify's router cannot express; matched in order by the not-found path. */
  fallbackRoutes(): CompiledRoute[] {
    return this.routes.filter((r) => r.fastifyUrl === null);
  }

  /**
   * Django's ordered matching over the whole URLconf. `path` is the URL path as received
   * (percent-encoded, with its leading '/').
   */
  resolve(path: string, routes: readonly CompiledRoute[] = this.routes): ResolverMatch | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return undefined;
    }
    if (!decoded.startsWith('/')) return undefined;
    const rel = decoded.slice(1);
    for (const route of routes) {
      const m = route.regex.exec(rel);
      if (!m) continue;
      const params = convertGroups(route, m.groups ?? {});
      if (params) return { route, params };
    }
    return undefined;
  }

  /** Convert Fastify's (already decoded) parameters for one candidate route, or undefined. */
  static matchFastifyParams(route: CompiledRoute, raw: Readonly<Record<string, string | undefined>>): RouteParams | undefined {
    const params: Record<string, unknown> = {};
    for (const p of route.fastifyParams) {
      const text = raw[p.key];
      if (text === undefined || !p.check.test(text)) return undefined;
      try {
        params[p.name] = p.converter.toValue(text);
      } catch {
        return undefined;
      }
    }
    return params;
  }

  reverse(name: string, params: Readonly<Record<string, unknown>> | readonly unknown[] = NO_PARAMS): string {
    const candidates = this.byName.get(name);
    if (!candidates) {
      const ns = name.includes(':') ? name.slice(0, name.lastIndexOf(':')) : undefined;
      if (ns !== undefined && !this.namespaceNames.has(ns)) throw new NoReverseMatch(`'${ns}' is not a registered namespace`);
      throw new NoReverseMatch(`Reverse for '${name}' not found. '${name}' is not a valid view function or pattern name.`);
    }
    for (const plan of candidates) {
      const url = buildUrl(plan, params);
      if (url !== undefined) return url;
    }
    const given = Array.isArray(params) ? `arguments '${JSON.stringify(params)}'` : `keyword arguments '${JSON.stringify(params)}'`;
    const n = candidates.length;
    const tried = candidates.map((plan) => `'${plan.route}'`).join(', ');
    throw new NoReverseMatch(`Reverse for '${name}' with ${given} not found. ${n} pattern(s) tried: [${tried}]`);
  }
}

const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

function convertGroups(route: CompiledRoute, groups: Record<string, string | undefined>): RouteParams | undefined {
  const params: Record<string, unknown> = {};
  for (const part of route.parts) {
    if (part.kind !== 'param') continue;
    try {
      params[part.name] = part.converter.toValue(groups[part.name] ?? '');
    } catch {
      return undefined;
    }
  }
  return params;
}

// RFC 3986 sub-delimiters plus '/~:@' stay as they are in reversed URLs, as in Django.
const SAFE_IN_URL = /%(21|24|26|27|28|29|2A|2B|2C|3B|3D|2F|7E|3A|40)/g;
/** Text made only of characters that stay as they are: most slugs, ids and static parts. */
const NOTHING_TO_ENCODE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

function encodePathText(text: string): string {
  if (NOTHING_TO_ENCODE.test(text)) return text;
  return encodeURIComponent(text).replace(SAFE_IN_URL, (m) => decodeURIComponent(m));
}

/**
 * How to build a route's URL, worked out once per route when the resolver is made: templates
 * call url() for every link of every page (28 times for the menu), so reverse() must not
 * re-parse, re-filter or re-encode the fixed parts. Encoding is per character, so the fixed parts
 * are encoded here and the values at each call, except values of built-in converters whose
 * accepted text never needs it (int, slug, uuid): their check is the only test they need.
 */
interface ReversePlan {
  /** The full route, for NoReverseMatch's list of patterns tried. */
  readonly route: string;
  readonly params: readonly ReverseParam[];
  /** The whole URL of a route without parameters. */
  readonly constant: string | undefined;
  /** Encoded fixed text before each parameter, then after the last one. */
  readonly texts: readonly string[];
}

/** A route parameter, and whether its value's text is percent-encoded (not for int, slug, uuid). */
type ReverseParam = Extract<Part, { kind: 'param' }> & { readonly encode: boolean };

function reversePlan(route: CompiledRoute): ReversePlan {
  const params: ReverseParam[] = [];
  const texts: string[] = [];
  let text = '/';
  for (const part of route.parts) {
    if (part.kind === 'static') {
      text += encodePathText(part.text);
    } else {
      params.push({ ...part, encode: !producesUrlSafeText(part.converter) });
      texts.push(text);
      text = '';
    }
  }
  texts.push(text);
  return { route: route.route, params, texts, constant: params.length === 0 ? texts[0] : undefined };
}

function buildUrl(plan: ReversePlan, given: Readonly<Record<string, unknown>> | readonly unknown[]): string | undefined {
  const params = plan.params;
  const positional = Array.isArray(given);
  if (positional) {
    if (given.length !== params.length) return undefined;
  } else {
    // null counts as no parameters, as a for-in over it did.
    if ((given === null || given === undefined ? 0 : Object.keys(given).length) !== params.length) return undefined;
  }
  if (plan.constant !== undefined) return plan.constant;
  let out = plan.texts[0]!;
  for (let i = 0; i < params.length; i++) {
    const part = params[i]!;
    if (!positional && !Object.hasOwn(given, part.name)) return undefined;
    const value = positional ? (given as readonly unknown[])[i] : (given as Readonly<Record<string, unknown>>)[part.name];
    let text: string;
    try {
      text = part.converter.toUrl(value);
    } catch {
      return undefined;
    }
    if (!part.check.test(text)) return undefined;
    out += (part.encode ? encodePathText(text) : text) + plan.texts[i + 1]!;
  }
  return out;
}

/** Load ROOT_URLCONF (and its includes) and compile every route. */
export async function buildResolver(rootUrlconf: string | UrlConfModule, baseDir: string): Promise<UrlResolver> {
  const routes: CompiledRoute[] = [];
  const root = typeof rootUrlconf === 'string' ? await loadUrlConf(rootUrlconf, baseDir, 'ROOT_URLCONF') : rootUrlconf;
  await flatten(root.urlpatterns, '', [], routes, baseDir, new Set());
  return new UrlResolver(routes);
}

async function loadUrlConf(name: string, baseDir: string, what: string): Promise<UrlConfModule> {
  if (!isDottedName(name)) {
    throw new ImproperlyConfigured(`${what} '${name}' is not a dotted module name like 'mysite.urls'.`, { code: 'RH_ERR_MODULE_IMPORT' });
  }
  const { file, tried } = resolveDottedName(name, baseDir);
  if (!file) {
    throw new ImproperlyConfigured(
      `${what} '${name}' could not be found. Tried:\n${tried.map((t) => `  ${relative(baseDir, t)}`).join('\n')}`,
      { code: 'RH_ERR_MODULE_IMPORT' },
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(file);
  } catch (err) {
    throw new ImproperlyConfigured(`${what} '${name}' (${file}) raised an error while it was imported: ${String(err)}`, {
      code: 'RH_ERR_MODULE_IMPORT',
      cause: err,
    });
  }
  if (!Array.isArray(mod.urlpatterns)) {
    throw new ImproperlyConfigured(
      `The URLconf '${name}' (${file}) does not export 'urlpatterns'. Add: export const urlpatterns = [path(...), ...];`,
      { code: 'RH_ERR_MODULE_IMPORT' },
    );
  }
  return mod as unknown as UrlConfModule;
}

async function flatten(
  entries: readonly UrlEntry[],
  prefix: string,
  namespaces: readonly string[],
  out: CompiledRoute[],
  baseDir: string,
  loading: Set<string>,
): Promise<void> {
  for (const entry of entries) {
    if (entry.kind === 'pattern') {
      const route = prefix + entry.route;
      const parts = parseRoute(route);
      const fastify = toFastify(parts);
      out.push({
        route,
        name: entry.name === undefined ? undefined : [...namespaces, entry.name].join(':'),
        namespaces,
        view: entry.view,
        parts,
        regex: compileRegex(parts),
        fastifyUrl: fastify?.url ?? null,
        fastifyParams: fastify?.params ?? [],
      });
      continue;
    }
    if (entry.kind !== 'include') {
      throw new ImproperlyConfigured(`urlpatterns must hold path() entries; found ${JSON.stringify(entry)}.`, { code: 'RH_ERR_URL_PATTERN' });
    }
    parseRoute(entry.route); // validate the prefix on its own
    let mod: UrlConfModule;
    if (typeof entry.target === 'string') {
      if (loading.has(entry.target)) throw new ImproperlyConfigured(`URLconf '${entry.target}' includes itself.`, { code: 'RH_ERR_URL_PATTERN' });
      mod = await loadUrlConf(entry.target, baseDir, 'include()');
      loading.add(entry.target);
    } else if (Array.isArray(entry.target)) {
      mod = { urlpatterns: entry.target as readonly UrlEntry[] };
    } else {
      mod = entry.target as UrlConfModule;
    }
    const ns = entry.namespace ?? mod.appName;
    await flatten(mod.urlpatterns, prefix + entry.route, ns ? [...namespaces, ns] : namespaces, out, baseDir, loading);
    if (typeof entry.target === 'string') loading.delete(entry.target);
  }
}
