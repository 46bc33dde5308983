/**
 * The shape of Reinhardt's settings. Names are Django's, in UPPER_CASE. `defineSettings()` takes
 * a `UserSettings` (any subset, plus custom UPPER_CASE names) so editors complete and check the
 * known names; the loaded settings are a frozen `Settings`.
 */

/** `[name, email]` like Django's tuples, or `'Name <email>'`. */
export type Person = readonly [name: string, email: string] | string;

/**
 * A component named by a short registered name (so INI files and environment variables can choose
 * it) or given as a reference to an imported implementation.
 */
export type ComponentRef<Impl> = string | Impl;

export interface TemplateBackendSettings {
  /** `'eta'` (the built-in backend) or a reference to a backend factory. */
  BACKEND: ComponentRef<unknown>;
  /** Absolute folders searched first, in order. */
  DIRS?: readonly string[];
  /** Also search each installed app's `templates/` folder. */
  APP_DIRS?: boolean;
  OPTIONS?: {
    /** Names (`'debug'`, `'request'`, `'static'`, `'csrf'`) or functions `(request) => object`. */
    context_processors?: readonly ComponentRef<unknown>[];
    /** eta's autoEscape; on by default. */
    autoescape?: boolean;
    /** Cache compiled templates; defaults to `!DEBUG`. */
    cache?: boolean;
    [option: string]: unknown;
  };
}

export interface CacheSettings {
  BACKEND: ComponentRef<unknown>;
  LOCATION?: string | readonly string[];
  TIMEOUT?: number | null;
  KEY_PREFIX?: string;
  OPTIONS?: Record<string, unknown>;
}

/** A STATICFILES_DIRS entry: a folder, or `[prefix, folder]` like Django's tuple. */
export type StaticDir = string | readonly [prefix: string, dir: string];

/** dictConfig-shaped logging configuration (see reinhardt/log). */
export interface LoggingConfig {
  version?: 1;
  disable_existing_loggers?: boolean;
  formatters?: Record<string, Record<string, unknown>>;
  filters?: Record<string, Record<string, unknown>>;
  handlers?: Record<string, Record<string, unknown>>;
  loggers?: Record<string, { handlers?: readonly string[]; level?: string; propagate?: boolean; filters?: readonly string[] }>;
  root?: { handlers?: readonly string[]; level?: string };
}

export interface Settings {
  // ---- core
  DEBUG: boolean;
  SECRET_KEY: string;
  SECRET_KEY_FALLBACKS: readonly string[];
  ALLOWED_HOSTS: readonly string[];
  INTERNAL_IPS: readonly string[];
  ROOT_URLCONF: string | null;
  INSTALLED_APPS: readonly string[];
  MIDDLEWARE: readonly ComponentRef<unknown>[];
  DEFAULT_CHARSET: string;
  TIME_ZONE: string;
  LANGUAGE_CODE: string;
  DATABASES: Record<string, Record<string, unknown>>;
  CACHES: Record<string, CacheSettings>;
  SILENCED_SYSTEM_CHECKS: readonly string[];

  // ---- requests and URLs
  APPEND_SLASH: boolean;
  PREPEND_WWW: boolean;
  DISALLOWED_USER_AGENTS: readonly (string | RegExp)[];
  IGNORABLE_404_URLS: readonly (string | RegExp)[];
  USE_X_FORWARDED_HOST: boolean;
  USE_X_FORWARDED_PORT: boolean;
  SECURE_PROXY_SSL_HEADER: readonly [header: string, value: string] | null;
  DATA_UPLOAD_MAX_MEMORY_SIZE: number | null;
  DATA_UPLOAD_MAX_NUMBER_FIELDS: number | null;

  // ---- people and email
  ADMINS: readonly Person[];
  MANAGERS: readonly Person[];
  EMAIL_BACKEND: ComponentRef<unknown>;
  EMAIL_HOST: string;
  EMAIL_PORT: number;
  EMAIL_HOST_USER: string;
  EMAIL_HOST_PASSWORD: string;
  EMAIL_USE_TLS: boolean;
  EMAIL_USE_SSL: boolean;
  EMAIL_TIMEOUT: number | null;
  EMAIL_SSL_CERTFILE: string | null;
  EMAIL_SSL_KEYFILE: string | null;
  EMAIL_FILE_PATH: string | null;
  EMAIL_SUBJECT_PREFIX: string;
  DEFAULT_FROM_EMAIL: string;
  SERVER_EMAIL: string;

  // ---- templates
  TEMPLATES: readonly TemplateBackendSettings[];

  // ---- static files
  STATIC_URL: string | null;
  STATIC_ROOT: string | null;
  STATICFILES_DIRS: readonly StaticDir[];
  STATICFILES_FINDERS: readonly ComponentRef<unknown>[];
  STATICFILES_STORAGE: ComponentRef<unknown>;
  STATICFILES_IGNORE_PATTERNS: readonly string[];
  STATICFILES_PRECOMPRESS: boolean;
  SERVE_STATIC_ROOT: boolean;

  // ---- security
  SECURE_SSL_REDIRECT: boolean;
  SECURE_SSL_HOST: string | null;
  SECURE_REDIRECT_EXEMPT: readonly (string | RegExp)[];
  SECURE_HSTS_SECONDS: number;
  SECURE_HSTS_INCLUDE_SUBDOMAINS: boolean;
  SECURE_HSTS_PRELOAD: boolean;
  SECURE_CONTENT_TYPE_NOSNIFF: boolean;
  SECURE_REFERRER_POLICY: string | readonly string[] | null;
  SECURE_CROSS_ORIGIN_OPENER_POLICY: string | null;
  X_FRAME_OPTIONS: 'DENY' | 'SAMEORIGIN' | string;

  // ---- sessions
  SESSION_ENGINE: ComponentRef<unknown>;
  SESSION_COOKIE_NAME: string;
  SESSION_COOKIE_AGE: number;
  SESSION_COOKIE_DOMAIN: string | null;
  SESSION_COOKIE_PATH: string;
  SESSION_COOKIE_SECURE: boolean;
  SESSION_COOKIE_HTTPONLY: boolean;
  SESSION_COOKIE_SAMESITE: 'Lax' | 'Strict' | 'None' | false;
  SESSION_EXPIRE_AT_BROWSER_CLOSE: boolean;
  SESSION_SAVE_EVERY_REQUEST: boolean;

  // ---- CSRF
  CSRF_COOKIE_NAME: string;
  CSRF_COOKIE_AGE: number | null;
  CSRF_COOKIE_DOMAIN: string | null;
  CSRF_COOKIE_PATH: string;
  CSRF_COOKIE_SECURE: boolean;
  CSRF_COOKIE_HTTPONLY: boolean;
  CSRF_COOKIE_SAMESITE: 'Lax' | 'Strict' | 'None' | false;
  CSRF_HEADER_NAME: string;
  CSRF_TRUSTED_ORIGINS: readonly string[];
  CSRF_USE_SESSIONS: boolean;

  // ---- messages
  /** The lowest message level recorded (reinhardt/messages levels; INFO = 20). */
  MESSAGE_LEVEL: number;
  /** Extra or renamed tags by level number, e.g. { 40: 'danger' }. */
  MESSAGE_TAGS: Readonly<Record<number, string>>;

  // ---- logging
  LOGGING: LoggingConfig;

  // ---- servers
  /** Seconds the production server waits for in-flight requests and queued mail on shutdown. */
  SERVER_GRACEFUL_TIMEOUT: number;
}

export type SettingName = keyof Settings;

/**
 * What a settings module exports: any subset of the known settings, plus custom UPPER_CASE
 * settings. A lower-case key is a type error here and a validation error at boot.
 */
export type UserSettings = { readonly [K in SettingName]?: Settings[K] } & {
  readonly [custom: Uppercase<string>]: unknown;
};

/** Loaded, validated, frozen settings: every known setting plus the custom ones. */
export type LoadedSettings = Readonly<Settings> & { readonly [custom: string]: unknown };
