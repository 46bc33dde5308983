/**
 * Host header validation: Django's get_host(), split_domain_port(), validate_host() and
 * is_same_domain() as pure functions over plain headers, so the app wiring (a Fastify onRequest
 * hook) and tests can share them.
 *
 * Why it matters: a forged Host header poisons caches and password-reset links that are built
 * from it. ALLOWED_HOSTS is the list of names this site answers to; anything else is refused
 * with DisallowedHost (400, logged on reinhardt.security.DisallowedHost).
 *
 * Deliberate differences from Django 3.2, each stricter:
 * - A Host with any non-ASCII character is invalid. Django lower-cases before matching, and
 *   U+212A KELVIN SIGN lower-cases to an ASCII 'k', so 'example.\u212Aom' passes Django's check
 *   while get_host() hands the non-ASCII original to the site.
 * - A trailing newline is invalid. Python's `$` also matches before a final '\n', so Django
 *   accepts 'example.com\n' as a (not allowed) domain; JavaScript's `$` does not.
 * - X-Forwarded-Host and SECURE_PROXY_SSL_HEADER use the left-most value of a comma-separated
 *   list: a proxy chain appends, so the left-most entry is what the client's first proxy saw.
 *   (Django does this for SECURE_PROXY_SSL_HEADER since 4.1.)
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import { DisallowedHost, ImproperlyConfigured } from '../errors.js';

/**
 * A host name of letters, digits, dots and hyphens, or a bracketed IPv6 literal, then an optional
 * numeric port; matched after lower-casing. The same language as Django's host_validation_re:
 * no userinfo ('@'), no underscores, no spaces, at most one port.
 */
const HOST_PATTERN = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?$/;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Split a Host value into `[domain, port]`. The domain is lower-cased and loses one trailing dot
 * (an absolute DNS name names the same host); a bracketed IPv6 literal keeps its brackets.
 * Anything that is not a valid host gives `['', '']`.
 *
 * @example
 * splitDomainPort('Example.COM.:8000') // ['example.com', '8000']
 * splitDomainPort('[::1]:8000')        // ['[::1]', '8000']
 * splitDomainPort('a@evil.com')        // ['', '']
 */
export function splitDomainPort(host: string): [domain: string, port: string] {
  if (NON_ASCII.test(host)) return ['', ''];
  const lowered = host.toLowerCase();
  if (!HOST_PATTERN.test(lowered)) return ['', ''];
  if (lowered.endsWith(']')) return [lowered, ''];
  const colon = lowered.lastIndexOf(':');
  let domain = colon === -1 ? lowered : lowered.slice(0, colon);
  const port = colon === -1 ? '' : lowered.slice(colon + 1);
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  return [domain, port];
}

/** True when `host` (with or without a port) is a syntactically valid Host value (RFC 1034/1035). */
export function isValidHost(host: string): boolean {
  return splitDomainPort(host)[0] !== '';
}

/**
 * Does `host` (lower-case, without port) match `pattern`? A pattern starting with '.' matches the
 * domain itself and every subdomain ('.example.com' matches 'example.com' and 'a.example.com' but
 * not 'badexample.com'); anything else must match exactly. Case-insensitive on the pattern. '*' is
 * handled by validateHost, like Django.
 */
export function isSameDomain(host: string, pattern: string): boolean {
  if (!pattern) return false;
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p.startsWith('.')) return h.endsWith(p) || h === p.slice(1);
  return h === p;
}

/** Is the domain (from splitDomainPort) allowed by any pattern? '*' allows every host. */
export function validateHost(domain: string, allowedHosts: readonly string[]): boolean {
  return allowedHosts.some((pattern) => pattern === '*' || isSameDomain(domain, pattern));
}

/**
 * The hosts actually allowed. With DEBUG and an empty ALLOWED_HOSTS, only the local machine:
 * Table 5-1 of the seed chapter says development accepts every host, but that let DNS-rebinding
 * attacks (a hostile page whose domain re-resolves to 127.0.0.1) talk to development servers, so
 * Django narrowed it in 1.10.3 and Reinhardt keeps the narrow rule. With DEBUG false an empty
 * list allows nothing: every request is refused until the site names its hosts.
 */
export function effectiveAllowedHosts(settings: Pick<LoadedSettings, 'DEBUG' | 'ALLOWED_HOSTS'>): readonly string[] {
  if (settings.DEBUG && settings.ALLOWED_HOSTS.length === 0) return LOCAL_HOSTS;
  return settings.ALLOWED_HOSTS;
}

const LOCAL_HOSTS: readonly string[] = Object.freeze(['.localhost', '127.0.0.1', '[::1]']);

/** Request headers as Node gives them: lower-case names, a string or (rarely) a list. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value[0];
}

/** The left-most entry of a comma-separated header value, trimmed. */
function leftMost(value: string): string {
  const comma = value.indexOf(',');
  return (comma === -1 ? value : value.slice(0, comma)).trim();
}

export interface RawHostOptions {
  /** Whether the request is HTTPS (isSecureRequest); decides the default port left out. */
  secure: boolean;
  /** The server's own name, used when the request has no Host header (HTTP/1.0). */
  serverName?: string;
  /** The server's own port (number or string). */
  serverPort?: string | number;
  /**
   * Where to read the server's name and port when they are not given: the request's socket,
   * asked only for a request without Host (each read is a getsockname() system call).
   */
  socket?: { readonly localAddress?: string | undefined; readonly localPort?: number | undefined };
}

/**
 * The Host the client asked for, before validation: X-Forwarded-Host (left-most value) when
 * USE_X_FORWARDED_HOST, else Host, else the server's name with its port unless that port is the
 * scheme's default (X-Forwarded-Port replaces the server port when USE_X_FORWARDED_PORT). Only
 * trust the forwarded headers behind a proxy that sets them: otherwise any client chooses its Host.
 */
export function getRawHost(
  headers: RequestHeaders,
  settings: Pick<LoadedSettings, 'USE_X_FORWARDED_HOST' | 'USE_X_FORWARDED_PORT'>,
  options: RawHostOptions,
): string {
  if (settings.USE_X_FORWARDED_HOST) {
    const forwarded = header(headers, 'x-forwarded-host');
    if (forwarded !== undefined) return leftMost(forwarded);
  }
  const host = header(headers, 'host');
  if (host !== undefined) return host;
  const name = options.serverName ?? options.socket?.localAddress ?? '';
  const forwardedPort = settings.USE_X_FORWARDED_PORT ? header(headers, 'x-forwarded-port') : undefined;
  const serverPort = options.serverPort ?? options.socket?.localPort;
  const port = forwardedPort !== undefined ? leftMost(forwardedPort) : serverPort === undefined ? '' : String(serverPort);
  if (port === '' || port === (options.secure ? '443' : '80')) return name;
  return `${name}:${port}`;
}

/**
 * Django's META names ('HTTP_X_FORWARDED_PROTO') to Node's header names ('x-forwarded-proto'),
 * so a setting copied from a Django project keeps working.
 */
export function normaliseHeaderName(name: string): string {
  if (/^HTTP_[A-Z0-9_]+$/i.test(name)) return name.slice(5).toLowerCase().replace(/_/g, '-');
  return name.toLowerCase();
}

/**
 * Is the request HTTPS? With SECURE_PROXY_SSL_HEADER = [header, value] and that header present,
 * the header decides (its left-most comma-separated value must equal `value`); otherwise
 * `encrypted` (the socket's own TLS state) does. Only set the setting behind a proxy that strips
 * the header from clients, or any client can claim HTTPS.
 */
export function isSecureRequest(
  headers: RequestHeaders,
  settings: Pick<LoadedSettings, 'SECURE_PROXY_SSL_HEADER'>,
  encrypted: boolean,
): boolean {
  const setting: unknown = settings.SECURE_PROXY_SSL_HEADER;
  if (setting === null || setting === undefined) return encrypted;
  if (!Array.isArray(setting) || setting.length !== 2 || !setting.every((x) => typeof x === 'string' && x !== '')) {
    throw new ImproperlyConfigured(
      "The SECURE_PROXY_SSL_HEADER setting must be a [header, value] pair such as ['x-forwarded-proto', 'https'], " +
        `or null (found ${JSON.stringify(setting)}).`,
    );
  }
  const [name, secureValue] = setting as [string, string];
  const value = header(headers, normaliseHeaderName(name));
  if (value === undefined) return encrypted;
  return leftMost(value) === secureValue;
}

// Python's str.isprintable(): no control, format, private-use, unassigned or separator characters.
const NOT_PRINTABLE = /^[\p{C}\p{Z}]$/u;

function escapeCodePoint(code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/**
 * A string shown the way Python's repr() shows it, as Django's messages do: single quotes unless
 * the text holds a single quote and no double quote, and control characters escaped, which also
 * keeps a hostile Host from writing fake lines into logs and error mail.
 */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) out += escapeCodePoint(code);
    else out += ch;
  }
  return quote + out + quote;
}

/** Django's DisallowedHost message for a raw Host value, or null when it is allowed. */
export function disallowedHostMessage(rawHost: string, allowedHosts: readonly string[]): string | null {
  const [domain] = splitDomainPort(rawHost);
  if (domain && validateHost(domain, allowedHosts)) return null;
  const start = `Invalid HTTP_HOST header: ${pyRepr(rawHost)}.`;
  return domain
    ? `${start} You may need to add ${pyRepr(domain)} to ALLOWED_HOSTS.`
    : `${start} The domain name provided is not valid according to RFC 1034/1035.`;
}

/** Validates raw Host values; `cacheSize` is how many answers it currently remembers. */
export type HostValidator = ((rawHost: string) => string) & { readonly cacheSize: number };

export interface HostValidatorOptions {
  /** Answers remembered before the cache is emptied. */
  cacheLimit?: number;
}

/** Entries the cache keeps before starting over: more than any real site's host names. */
export const DEFAULT_HOST_CACHE_LIMIT = 256;
/** Longer values are answered without caching: no valid DNS name with a port is this long. */
const MAX_CACHED_HOST_LENGTH = 300;

/**
 * A validator for one settings object: `validate(rawHost)` returns the host or throws
 * DisallowedHost with Django's message.
 *
 * A site sees a handful of distinct Host values, so answers are cached and the hot path is one
 * Map lookup. A hostile client can send any number of distinct values, so the cache is bounded:
 * when it is full it is emptied and refilled (the real hosts come back at once), and over-long
 * values are never cached. Memory stays under cacheLimit × 300 characters whatever arrives.
 */
export function createHostValidator(
  settings: Pick<LoadedSettings, 'DEBUG' | 'ALLOWED_HOSTS'>,
  options: HostValidatorOptions = {},
): HostValidator {
  const allowed = effectiveAllowedHosts(settings);
  const limit = Math.max(1, options.cacheLimit ?? DEFAULT_HOST_CACHE_LIMIT);
  // The value is the DisallowedHost message, or null for an allowed host.
  const cache = new Map<string, string | null>();
  // The host of the last allowed request: most requests name the same host as the one before,
  // and comparing the header with it costs less than hashing the header for the Map (a new
  // string every request: about 800 instructions, scripts/bench/instructions.sh).
  let lastAllowed: string | undefined;

  const validate = (rawHost: string): string => {
    if (lastAllowed !== undefined && rawHost === lastAllowed) return rawHost;
    let message = cache.get(rawHost);
    if (message === undefined) {
      message = disallowedHostMessage(rawHost, allowed);
      if (rawHost.length <= MAX_CACHED_HOST_LENGTH) {
        if (cache.size >= limit) cache.clear();
        cache.set(rawHost, message);
      }
    }
    if (message !== null) throw new DisallowedHost(message);
    lastAllowed = rawHost;
    return rawHost;
  };
  Object.defineProperty(validate, 'cacheSize', { get: () => cache.size, enumerable: true });
  return validate as HostValidator;
}
