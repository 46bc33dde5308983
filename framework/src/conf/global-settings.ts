/**
 * Default settings: Django's global_settings, as data. A settings module overlays these; the
 * keys it set are recorded so `diffsettings` can tell them apart. Where a default differs from
 * Django's, the comment says why.
 */
import { deepFreeze } from '../utils/freeze.js';
import type { Settings } from './settings-types.js';

const core = {
  /** Technical error pages, static serving and relaxed hosts. Never true in production. */
  DEBUG: false,
  /** Signs cookies, sessions and tokens. An empty key stops anything that signs. */
  SECRET_KEY: '',
  /** Older keys that still verify signatures, for rotation. New values use SECRET_KEY. */
  SECRET_KEY_FALLBACKS: [],
  /** Host names this site serves. With DEBUG and an empty list: localhost only. */
  ALLOWED_HOSTS: [],
  /** Client addresses treated as internal (error mail says "internal IP"). */
  INTERNAL_IPS: [],
  /** Dotted name of the module that exports `urlpatterns`. */
  ROOT_URLCONF: null,
  INSTALLED_APPS: [],
  /** Short names ('security', 'common', ...) or imported middleware, run in order. */
  MIDDLEWARE: [],
  DEFAULT_CHARSET: 'utf-8',
  TIME_ZONE: 'UTC',
  LANGUAGE_CODE: 'en-us',
  /** Recorded for projects that bring their own data layer; the framework itself has none. */
  DATABASES: {},
  CACHES: { default: { BACKEND: 'locmem' } },
  /** Check ids (like 'security.W004') to leave out of `check` reports. */
  SILENCED_SYSTEM_CHECKS: [],
} satisfies Partial<Settings>;

const requests = {
  /** Redirect /about to /about/ when only the latter matches (GET and HEAD). */
  APPEND_SLASH: true,
  PREPEND_WWW: false,
  /** User agents refused with 403 by the 'common' middleware. */
  DISALLOWED_USER_AGENTS: [],
  /** 404s that never mail MANAGERS. */
  IGNORABLE_404_URLS: [],
  USE_X_FORWARDED_HOST: false,
  USE_X_FORWARDED_PORT: false,
  /** `['x-forwarded-proto', 'https']` behind a TLS-terminating proxy. */
  SECURE_PROXY_SSL_HEADER: null,
  /** 2.5 MB, like Django. */
  DATA_UPLOAD_MAX_MEMORY_SIZE: 2621440,
  DATA_UPLOAD_MAX_NUMBER_FIELDS: 1000,
} satisfies Partial<Settings>;

const email = {
  /** Receive error mail when DEBUG is false. */
  ADMINS: [],
  /** Receive broken-link mail with the 'broken-link-emails' middleware. */
  MANAGERS: [],
  EMAIL_BACKEND: 'smtp',
  EMAIL_HOST: 'localhost',
  EMAIL_PORT: 25,
  EMAIL_HOST_USER: '',
  EMAIL_HOST_PASSWORD: '',
  EMAIL_USE_TLS: false,
  EMAIL_USE_SSL: false,
  /**
   * Seconds. Django waits forever by default; a dead mail server must not tie up a process, so
   * Reinhardt defaults to 10 seconds.
   */
  EMAIL_TIMEOUT: 10,
  EMAIL_SSL_CERTFILE: null,
  EMAIL_SSL_KEYFILE: null,
  /** Folder for the 'filebased' backend. */
  EMAIL_FILE_PATH: null,
  /** Prefix of mail to ADMINS and MANAGERS. */
  EMAIL_SUBJECT_PREFIX: '[Reinhardt] ',
  DEFAULT_FROM_EMAIL: 'webmaster@localhost',
  /** Sender of error mail to ADMINS and MANAGERS. */
  SERVER_EMAIL: 'root@localhost',
} satisfies Partial<Settings>;

const templates = {
  /** Like Django: none until the project configures one (startproject does). */
  TEMPLATES: [],
} satisfies Partial<Settings>;

const staticFiles = {
  /** URL prefix of static files; must end with '/'. May be an absolute (CDN) URL. */
  STATIC_URL: null,
  /** Absolute folder that `collectstatic` fills for the web server. */
  STATIC_ROOT: null,
  STATICFILES_DIRS: [],
  STATICFILES_FINDERS: ['filesystem', 'app-directories'],
  /** 'plain' copies files; 'manifest' writes content-hashed names and staticfiles.json. */
  STATICFILES_STORAGE: 'plain',
  /** collectstatic's default ignore patterns (turn off with --no-default-ignore). */
  STATICFILES_IGNORE_PATTERNS: ['CVS', '.*', '*~'],
  /** Write .gz and .br copies of text assets when collecting with the manifest storage. */
  STATICFILES_PRECOMPRESS: true,
  /** Let `serve` answer STATIC_URL from STATIC_ROOT itself (one-box deployments). */
  SERVE_STATIC_ROOT: false,
} satisfies Partial<Settings>;

const security = {
  SECURE_SSL_REDIRECT: false,
  SECURE_SSL_HOST: null,
  SECURE_REDIRECT_EXEMPT: [],
  SECURE_HSTS_SECONDS: 0,
  SECURE_HSTS_INCLUDE_SUBDOMAINS: false,
  SECURE_HSTS_PRELOAD: false,
  SECURE_CONTENT_TYPE_NOSNIFF: true,
  SECURE_REFERRER_POLICY: 'same-origin',
  SECURE_CROSS_ORIGIN_OPENER_POLICY: 'same-origin',
  X_FRAME_OPTIONS: 'DENY',
} satisfies Partial<Settings>;

const sessions = {
  /** A signed cookie: no server state, so any number of instances can serve a user. */
  SESSION_ENGINE: 'signed-cookies',
  SESSION_COOKIE_NAME: 'sessionid',
  /** Two weeks, in seconds. */
  SESSION_COOKIE_AGE: 1209600,
  SESSION_COOKIE_DOMAIN: null,
  SESSION_COOKIE_PATH: '/',
  SESSION_COOKIE_SECURE: false,
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SAMESITE: 'Lax',
  SESSION_EXPIRE_AT_BROWSER_CLOSE: false,
  SESSION_SAVE_EVERY_REQUEST: false,
} satisfies Partial<Settings>;

const csrf = {
  CSRF_COOKIE_NAME: 'csrftoken',
  /** One year, in seconds; null for a browser-session cookie. */
  CSRF_COOKIE_AGE: 31449600,
  CSRF_COOKIE_DOMAIN: null,
  CSRF_COOKIE_PATH: '/',
  CSRF_COOKIE_SECURE: false,
  CSRF_COOKIE_HTTPONLY: false,
  CSRF_COOKIE_SAMESITE: 'Lax',
  /** The request header carrying the token (Django's HTTP_X_CSRFTOKEN). */
  CSRF_HEADER_NAME: 'x-csrftoken',
  CSRF_TRUSTED_ORIGINS: [],
  CSRF_USE_SESSIONS: false,
} satisfies Partial<Settings>;

const messages = {
  /** INFO: debug messages are dropped unless a request lowers its level. */
  MESSAGE_LEVEL: 20,
  MESSAGE_TAGS: {},
} satisfies Partial<Settings>;

const logging = {
  /** Applied over DEFAULT_LOGGING (reinhardt/log), like Django's dictConfig. */
  LOGGING: {},
} satisfies Partial<Settings>;

const servers = {
  SERVER_GRACEFUL_TIMEOUT: 10,
} satisfies Partial<Settings>;

/** Every default, by section. The sections are for readers and docs; settings are flat. */
export const DEFAULT_SETTINGS_BY_SECTION = {
  core,
  requests,
  email,
  templates,
  staticFiles,
  security,
  sessions,
  csrf,
  messages,
  logging,
  servers,
} as const;

export const DEFAULT_SETTINGS: Readonly<Settings> = deepFreeze({
  ...core,
  ...requests,
  ...email,
  ...templates,
  ...staticFiles,
  ...security,
  ...sessions,
  ...csrf,
  ...messages,
  ...logging,
  ...servers,
}) satisfies Settings;
