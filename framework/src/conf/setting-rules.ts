/**
 * The type rule of every known setting, as data. A rule answers `undefined` for a good value or a
 * sentence that says what was expected and what was found; `validate-settings.ts` adds the setting
 * name and the module's file.
 */
import { isAbsolute } from 'node:path';
import type { SettingName } from './settings-types.js';

export interface Rule {
  /** What the setting takes, for messages and docs: "a boolean", "a list of strings". */
  readonly expected: string;
  check(value: unknown): string | undefined;
}

/** "the string 'false'", "the number 3", "null", "an object": what a value is, for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value instanceof RegExp) return `the pattern ${String(value)}`;
  return 'an object';
}

function quote(s: string): string {
  const shown = s.length > 60 ? `${s.slice(0, 57)}...` : s;
  return `'${shown.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function mismatch(expected: string, value: unknown): string {
  return `expected ${expected}, found ${describeValue(value)}`;
}

function rule(expected: string, ok: (value: unknown) => boolean): Rule {
  return { expected, check: (value) => (ok(value) ? undefined : mismatch(expected, value)) };
}

export const bool = rule('a boolean (true or false)', (v) => typeof v === 'boolean');
export const str = rule('a string', (v) => typeof v === 'string');
export const num = rule('a number', (v) => typeof v === 'number' && Number.isFinite(v));
export const plainObject = rule('an object', (v) => isPlainObject(v));
export const component = rule(
  'a registered short name (a string) or an imported implementation',
  (v) => typeof v === 'string' || typeof v === 'function' || (typeof v === 'object' && v !== null && !Array.isArray(v)),
);
export const stringOrPattern = rule('a string or a RegExp', (v) => typeof v === 'string' || v instanceof RegExp);

export function int(min = 0): Rule {
  return rule(
    min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`,
    (v) => typeof v === 'number' && Number.isInteger(v) && v >= min,
  );
}

export function nullable(inner: Rule): Rule {
  const expected = `${inner.expected}, or null`;
  return {
    expected,
    check(v) {
      if (v === null) return undefined;
      const problem = inner.check(v);
      // Only the generic "expected X, found Y" gains ", or null"; a specific message (a relative
      // path with its projectPaths remedy) is kept as it is.
      return problem === mismatch(inner.expected, v) ? mismatch(expected, v) : problem;
    },
  };
}

export function oneOf(values: readonly unknown[]): Rule {
  const shown = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
  return rule(`one of ${shown}`, (v) => values.includes(v));
}

export function list(item: Rule): Rule {
  const expected = `a list of ${plural(item.expected)}`;
  return {
    expected,
    check(v) {
      if (!Array.isArray(v)) {
        const hint = typeof v === 'string' ? `. Did you mean [${quote(v)}]?` : '';
        return `${mismatch(expected, v)}${hint}`;
      }
      for (const [i, entry] of v.entries()) {
        const problem = item.check(entry);
        if (problem) return `item ${i}: ${problem}`;
      }
      return undefined;
    },
  };
}

function plural(expected: string): string {
  return expected
    .replace(/^an? /, '')
    .replace(/^(string|boolean|path|pattern|person|entry|name)\b/, '$1s')
    .replace(/^absolute path/, 'absolute paths');
}

/** Path settings must be absolute: a relative path depends on the folder the server starts in. */
export const absPath: Rule = {
  expected: 'an absolute path',
  check(v) {
    if (typeof v !== 'string') return mismatch('an absolute path (a string)', v);
    if (!isAbsolute(v)) {
      return `expected an absolute path, found the relative path ${quote(v)}; build it from projectPaths(import.meta.url), e.g. join(BASE_DIR, ${quote(v)})`;
    }
    return undefined;
  },
};

const staticDir: Rule = {
  expected: "an absolute path or a [prefix, absolute path] pair",
  check(v) {
    if (Array.isArray(v)) {
      if (v.length !== 2 || typeof v[0] !== 'string') return mismatch(this.expected, v);
      if (v[0].endsWith('/')) return `the prefix ${quote(v[0])} must not end with '/'`;
      return absPath.check(v[1]);
    }
    return absPath.check(v);
  },
};

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;
const NAMED_EMAIL = /^\s*(.*?)\s*<([^\s@<>]+@[^\s@<>]+)>\s*$/;

const person: Rule = {
  expected: "a ['Name', 'email'] pair or a 'Name <email>' string",
  check(v) {
    if (typeof v === 'string') {
      return NAMED_EMAIL.test(v) || EMAIL.test(v.trim()) ? undefined : `${quote(v)} is not an email address or 'Name <email>'`;
    }
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      return EMAIL.test(v[1]) ? undefined : `${quote(v[1])} is not an email address`;
    }
    return mismatch(this.expected, v);
  },
};

const samesite = oneOf(['Lax', 'Strict', 'None', false]);

/** An origin with its scheme, as browsers send Origin: 'https://example.com', 'https://*.example.com'. */
const trustedOrigin: Rule = {
  expected: "an origin with a scheme, such as 'https://example.com' or 'https://*.example.com'",
  check(v) {
    if (typeof v !== 'string') return mismatch(this.expected, v);
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]+$/.test(v)) {
      return /:\/\//.test(v)
        ? `${quote(v)} is not an origin: give the scheme and host only, without a path`
        : `${quote(v)} has no scheme; write it as ${quote(`https://${v}`)} (origins start with http:// or https://)`;
    }
    return undefined;
  },
};

const staticUrl: Rule = {
  expected: "a URL prefix ending with '/', or null",
  check(v) {
    if (v === null) return undefined;
    if (typeof v !== 'string') return mismatch(this.expected, v);
    if (!v.endsWith('/')) return `must end with a slash (found ${quote(v)}); use ${quote(`${v}/`)}`;
    return undefined;
  },
};

const proxySslHeader: Rule = {
  expected: "null or a [header, value] pair such as ['x-forwarded-proto', 'https']",
  check: (v) =>
    v === null || (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string'))
      ? undefined
      : mismatch("null or a [header, value] pair such as ['x-forwarded-proto', 'https']", v),
};

const templates: Rule = {
  expected: 'a list of template backend objects ({ BACKEND, DIRS, APP_DIRS, OPTIONS })',
  check(v) {
    if (!Array.isArray(v)) return mismatch(this.expected, v);
    for (const [i, t] of v.entries()) {
      if (!isPlainObject(t)) return `item ${i}: ${mismatch('an object', t)}`;
      const checks: [string, Rule][] = [
        ['BACKEND', component],
        ['DIRS', list(absPath)],
        ['APP_DIRS', bool],
        ['OPTIONS', plainObject],
      ];
      if (!('BACKEND' in t)) return `item ${i}: BACKEND is missing (use 'eta')`;
      for (const [key, r] of checks) {
        if (key in t) {
          const problem = r.check(t[key]);
          if (problem) return `item ${i}, ${key}: ${problem}`;
        }
      }
    }
    return undefined;
  },
};

const caches: Rule = {
  expected: "an object of cache aliases, each { BACKEND, ... }, with a 'default'",
  check(v) {
    if (!isPlainObject(v)) return mismatch(this.expected, v);
    if (!('default' in v)) return "must define a 'default' cache";
    for (const [alias, c] of Object.entries(v)) {
      if (!isPlainObject(c) || !('BACKEND' in c)) return `cache '${alias}' needs a BACKEND`;
    }
    return undefined;
  },
};

export const SETTING_RULES: { readonly [K in SettingName]: Rule } = {
  DEBUG: bool,
  SECRET_KEY: str,
  SECRET_KEY_FALLBACKS: list(str),
  ALLOWED_HOSTS: list(str),
  INTERNAL_IPS: list(str),
  ROOT_URLCONF: nullable(str),
  INSTALLED_APPS: list(str),
  MIDDLEWARE: list(component),
  DEFAULT_CHARSET: str,
  TIME_ZONE: str,
  LANGUAGE_CODE: str,
  DATABASES: plainObject,
  CACHES: caches,
  SILENCED_SYSTEM_CHECKS: list(str),

  APPEND_SLASH: bool,
  PREPEND_WWW: bool,
  DISALLOWED_USER_AGENTS: list(stringOrPattern),
  IGNORABLE_404_URLS: list(stringOrPattern),
  USE_X_FORWARDED_HOST: bool,
  USE_X_FORWARDED_PORT: bool,
  SECURE_PROXY_SSL_HEADER: proxySslHeader,
  // At least one byte: Fastify, which reads the bodies, cannot be given a limit of 0.
  DATA_UPLOAD_MAX_MEMORY_SIZE: nullable(int(1)),
  DATA_UPLOAD_MAX_NUMBER_FIELDS: nullable(int()),

  ADMINS: list(person),
  MANAGERS: list(person),
  EMAIL_BACKEND: component,
  EMAIL_HOST: str,
  EMAIL_PORT: int(1),
  EMAIL_HOST_USER: str,
  EMAIL_HOST_PASSWORD: str,
  EMAIL_USE_TLS: bool,
  EMAIL_USE_SSL: bool,
  EMAIL_TIMEOUT: nullable(num),
  EMAIL_SSL_CERTFILE: nullable(absPath),
  EMAIL_SSL_KEYFILE: nullable(absPath),
  EMAIL_FILE_PATH: nullable(absPath),
  EMAIL_SUBJECT_PREFIX: str,
  DEFAULT_FROM_EMAIL: str,
  SERVER_EMAIL: str,

  TEMPLATES: templates,

  STATIC_URL: staticUrl,
  STATIC_ROOT: nullable(absPath),
  STATICFILES_DIRS: list(staticDir),
  STATICFILES_FINDERS: list(component),
  STATICFILES_STORAGE: component,
  STATICFILES_IGNORE_PATTERNS: list(str),
  STATICFILES_PRECOMPRESS: bool,
  SERVE_STATIC_ROOT: bool,

  SECURE_SSL_REDIRECT: bool,
  SECURE_SSL_HOST: nullable(str),
  SECURE_REDIRECT_EXEMPT: list(stringOrPattern),
  SECURE_HSTS_SECONDS: int(),
  SECURE_HSTS_INCLUDE_SUBDOMAINS: bool,
  SECURE_HSTS_PRELOAD: bool,
  SECURE_CONTENT_TYPE_NOSNIFF: bool,
  SECURE_REFERRER_POLICY: {
    expected: 'a policy string, a list of policies, or null',
    check: (v) =>
      v === null || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))
        ? undefined
        : mismatch('a policy string, a list of policies, or null', v),
  },
  SECURE_CROSS_ORIGIN_OPENER_POLICY: nullable(oneOf(['same-origin', 'same-origin-allow-popups', 'unsafe-none'])),
  X_FRAME_OPTIONS: oneOf(['DENY', 'SAMEORIGIN']),

  SESSION_ENGINE: component,
  SESSION_COOKIE_NAME: str,
  SESSION_COOKIE_AGE: int(),
  SESSION_COOKIE_DOMAIN: nullable(str),
  SESSION_COOKIE_PATH: str,
  SESSION_COOKIE_SECURE: bool,
  SESSION_COOKIE_HTTPONLY: bool,
  SESSION_COOKIE_SAMESITE: samesite,
  SESSION_EXPIRE_AT_BROWSER_CLOSE: bool,
  SESSION_SAVE_EVERY_REQUEST: bool,

  CSRF_COOKIE_NAME: str,
  CSRF_COOKIE_AGE: nullable(int()),
  CSRF_COOKIE_DOMAIN: nullable(str),
  CSRF_COOKIE_PATH: str,
  CSRF_COOKIE_SECURE: bool,
  CSRF_COOKIE_HTTPONLY: bool,
  CSRF_COOKIE_SAMESITE: samesite,
  CSRF_HEADER_NAME: str,
  CSRF_TRUSTED_ORIGINS: list(trustedOrigin),
  CSRF_USE_SESSIONS: bool,

  MESSAGE_LEVEL: int(),
  MESSAGE_TAGS: {
    expected: 'an object of level numbers to tag strings, e.g. { 40: \'danger\' }',
    check(v) {
      if (!isPlainObject(v)) return mismatch(this.expected, v);
      for (const [k, tag] of Object.entries(v)) {
        if (!/^\d+$/.test(k)) return `the key ${quote(k)} is not a level number`;
        if (typeof tag !== 'string') return `the tag for level ${k}: ${mismatch('a string', tag)}`;
      }
      return undefined;
    },
  },

  LOGGING: plainObject,

  SERVER_GRACEFUL_TIMEOUT: num,
};

/**
 * Extra words for settings whose wrong value has a known cause. The seed chapter's own trap —
 * `DEBUG = config.get('general', 'DEBUG')` — yields the truthy string 'false'.
 */
export const SETTING_HINTS: Partial<Record<SettingName, (value: unknown) => string | undefined>> = {
  DEBUG: (v) =>
    typeof v === 'string'
      ? "Values read from INI files and environment variables are strings, and the string 'false' is truthy. " +
        "Read it with config.getBoolean('general', 'DEBUG') or env.bool('DEBUG')."
      : undefined,
};

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
