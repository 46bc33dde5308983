/**
 * The error catalogue: every error the framework throws on purpose has a class here and a
 * stable code. Codes never change meaning once published; docs/errors.md documents each one and
 * a test keeps this file, that page and the classes in step.
 *
 * Which HTTP status an error becomes is decided in one place only: `http/error-funnel.ts`.
 */

export const ERROR_CODES = {
  // configuration
  RH_ERR_IMPROPERLY_CONFIGURED: 'The settings or project layout cannot work as configured.',
  RH_ERR_SETTINGS_NOT_NAMED: 'No settings module was named by REINHARDT_SETTINGS_MODULE or --settings.',
  RH_ERR_SETTINGS_NOT_FOUND: 'A dotted settings module name resolves to no file.',
  RH_ERR_SETTINGS_IMPORT: 'The settings module threw while it was imported.',
  RH_ERR_SETTINGS_INVALID: 'One or more settings failed validation.',
  RH_ERR_SETTINGS_NOT_CONFIGURED: 'Settings were read before the site was booted.',
  RH_ERR_INI_PARSE: 'An INI configuration file is malformed.',
  RH_ERR_INI_MISSING: 'An INI section or key was asked for and is absent, with no default.',
  RH_ERR_INI_VALUE: 'An INI value cannot be converted to the type asked for.',
  RH_ERR_ENV_MISSING: 'A required environment variable is not set.',
  RH_ERR_ENV_VALUE: 'An environment variable cannot be converted to the type asked for.',
  RH_ERR_UNKNOWN_COMPONENT: 'A setting names a component (backend, middleware, handler) that is not registered.',
  RH_ERR_MODULE_IMPORT: 'A dotted module name (ROOT_URLCONF, an app) cannot be imported.',
  // commands
  RH_ERR_COMMAND: 'A management command failed in an expected way.',
  // urls and templates
  RH_ERR_NO_REVERSE_MATCH: 'reverse() found no URL pattern for the name and arguments.',
  RH_ERR_URL_PATTERN: 'A URL pattern is malformed (bad converter, duplicate parameter, ...).',
  RH_ERR_TEMPLATE_DOES_NOT_EXIST: 'No template directory holds the template asked for.',
  RH_ERR_TEMPLATE_SYNTAX: 'A template failed to compile or to render.',
  // requests
  RH_ERR_HTTP_404: 'The view or resolver found nothing for the request (404).',
  RH_ERR_PERMISSION_DENIED: 'The view refused the request (403).',
  RH_ERR_BAD_REQUEST: 'The request is malformed (400).',
  RH_ERR_SUSPICIOUS_OPERATION: 'The request looks like an attack (400, logged on reinhardt.security).',
  RH_ERR_DISALLOWED_HOST: 'The Host header is not in ALLOWED_HOSTS or is not a valid host (400).',
  RH_ERR_DISALLOWED_REDIRECT: 'A redirect to an unsafe URL scheme was refused.',
  RH_ERR_SUSPICIOUS_FILE: 'A path tried to escape the directory it belongs to.',
  RH_ERR_REQUEST_TOO_LARGE: 'The request body or field count is over the limit (400).',
  RH_ERR_UNSUPPORTED_MEDIA_TYPE: 'The request body is of a kind the framework does not read (415).',
  // signing, sessions, csrf
  RH_ERR_BAD_SIGNATURE: 'A signed value failed verification.',
  RH_ERR_SIGNATURE_EXPIRED: 'A timestamped signed value is older than its max age.',
  RH_ERR_SESSION_TOO_LARGE: 'The session does not fit in a cookie.',
  RH_ERR_CSRF_FAILED: 'CSRF verification failed (403).',
  // mail
  RH_ERR_BAD_HEADER: 'A mail header value contains a newline; nothing was sent.',
  RH_ERR_MAIL_SEND: 'The mail backend failed to send a message.',
  // static files
  RH_ERR_STATIC_MANIFEST: 'The static manifest is missing an entry or cannot be read.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base of every error the framework throws on purpose. */
export class ReinhardtError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

// ---------------------------------------------------------------------------------------------
// configuration

export class ImproperlyConfigured extends ReinhardtError {
  constructor(message: string, options?: { cause?: unknown; code?: ErrorCode }) {
    super(options?.code ?? 'RH_ERR_IMPROPERLY_CONFIGURED', message, options);
  }
}

/** One problem found while validating a settings module. */
export interface SettingsProblem {
  setting: string;
  message: string;
}

/** All problems of one settings module, reported together like a compiler does. */
export class SettingsValidationError extends ImproperlyConfigured {
  readonly problems: readonly SettingsProblem[];
  readonly file: string | undefined;
  constructor(problems: readonly SettingsProblem[], file?: string) {
    const where = file ? ` in ${file}` : '';
    const n = problems.length;
    const lines = problems.map((p) => `  - ${p.setting}: ${p.message}`);
    super(`${n} invalid setting${n === 1 ? '' : 's'}${where}:\n${lines.join('\n')}`, {
      code: 'RH_ERR_SETTINGS_INVALID',
    });
    this.problems = problems;
    this.file = file;
  }
}

export class IniError extends ReinhardtError {}

export class EnvError extends ReinhardtError {}

// ---------------------------------------------------------------------------------------------
// commands

export class CommandError extends ReinhardtError {
  /** Exit status of the process; Django uses 1. */
  readonly returncode: number;
  constructor(message: string, options?: { returncode?: number; cause?: unknown }) {
    super('RH_ERR_COMMAND', message, options);
    this.returncode = options?.returncode ?? 1;
  }
}

/**
 * System checks found a message at or above the fail level. The message is the whole report,
 * already formatted (and coloured): the runner prints it to stderr as it is, without the
 * 'CommandError: ' prefix, and exits with `returncode` (1), as Django does.
 */
export class SystemCheckError extends CommandError {}

// ---------------------------------------------------------------------------------------------
// urls and templates

export class NoReverseMatch extends ReinhardtError {
  constructor(message: string) {
    super('RH_ERR_NO_REVERSE_MATCH', message);
  }
}

export class TemplateDoesNotExist extends ReinhardtError {
  /** Every path that was tried, in order. */
  readonly tried: readonly string[];
  readonly template: string;
  constructor(template: string, tried: readonly string[]) {
    const list = tried.length ? `\nTried:\n${tried.map((t) => `  ${t}`).join('\n')}` : '';
    super('RH_ERR_TEMPLATE_DOES_NOT_EXIST', `Template '${template}' does not exist.${list}`);
    this.template = template;
    this.tried = tried;
  }
}

export class TemplateSyntaxError extends ReinhardtError {
  readonly template: string;
  readonly line: number | undefined;
  constructor(template: string, line: number | undefined, detail: string, options?: { cause?: unknown }) {
    const at = line === undefined ? template : `${template}, line ${line}`;
    super('RH_ERR_TEMPLATE_SYNTAX', `Error in template ${at}: ${detail}`, options);
    this.template = template;
    this.line = line;
  }
}

// ---------------------------------------------------------------------------------------------
// requests: thrown by views and middleware, turned into responses by the error funnel

export class Http404 extends ReinhardtError {
  constructor(message = 'Not found') {
    super('RH_ERR_HTTP_404', message);
  }
}

export class PermissionDenied extends ReinhardtError {
  constructor(message = 'Permission denied', code: ErrorCode = 'RH_ERR_PERMISSION_DENIED') {
    super(code, message);
  }
}

export class BadRequest extends ReinhardtError {
  constructor(message = 'Bad request', code: ErrorCode = 'RH_ERR_BAD_REQUEST') {
    super(code, message);
  }
}

/** A request that looks like an attack. Logged on `reinhardt.security.<ClassName>`. */
export class SuspiciousOperation extends ReinhardtError {
  constructor(message: string, code: ErrorCode = 'RH_ERR_SUSPICIOUS_OPERATION') {
    super(code, message);
  }
}

export class DisallowedHost extends SuspiciousOperation {
  constructor(message: string) {
    super(message, 'RH_ERR_DISALLOWED_HOST');
  }
}

export class DisallowedRedirect extends SuspiciousOperation {
  constructor(message: string) {
    super(message, 'RH_ERR_DISALLOWED_REDIRECT');
  }
}

export class SuspiciousFileOperation extends SuspiciousOperation {
  constructor(message: string) {
    super(message, 'RH_ERR_SUSPICIOUS_FILE');
  }
}

/** A request body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django's RequestDataTooBig). */
export class RequestDataTooBig extends SuspiciousOperation {
  constructor(message: string) {
    super(message, 'RH_ERR_REQUEST_TOO_LARGE');
  }
}

/** More query-string or form fields than DATA_UPLOAD_MAX_NUMBER_FIELDS (Django's TooManyFieldsSent). */
export class TooManyFieldsSent extends SuspiciousOperation {
  constructor(message: string) {
    super(message, 'RH_ERR_REQUEST_TOO_LARGE');
  }
}

/** A request body the framework does not read (a 415): multipart/form-data, for now. */
export class UnsupportedMediaType extends ReinhardtError {
  constructor(message: string) {
    super('RH_ERR_UNSUPPORTED_MEDIA_TYPE', message);
  }
}

// ---------------------------------------------------------------------------------------------
// signing, sessions, csrf

export class BadSignature extends ReinhardtError {
  constructor(message: string, code: ErrorCode = 'RH_ERR_BAD_SIGNATURE') {
    super(code, message);
  }
}

export class SignatureExpired extends BadSignature {
  constructor(message: string) {
    super(message, 'RH_ERR_SIGNATURE_EXPIRED');
  }
}

export class SessionTooLarge extends ReinhardtError {
  constructor(message: string) {
    super('RH_ERR_SESSION_TOO_LARGE', message);
  }
}

/** CSRF failure: a 403 whose reason the debug page shows. */
export class CsrfFailure extends PermissionDenied {
  readonly reason: string;
  constructor(reason: string) {
    super(`CSRF verification failed. Request aborted. ${reason}`, 'RH_ERR_CSRF_FAILED');
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------
// mail

export class BadHeaderError extends ReinhardtError {
  readonly header: string;
  constructor(header: string, value: string) {
    super('RH_ERR_BAD_HEADER', `Header values can't contain newlines (got ${JSON.stringify(value)} for header '${header}')`);
    this.header = header;
  }
}

export class MailSendError extends ReinhardtError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('RH_ERR_MAIL_SEND', message, options);
  }
}

// ---------------------------------------------------------------------------------------------
// static files

export class StaticManifestError extends ReinhardtError {
  constructor(message: string) {
    super('RH_ERR_STATIC_MANIFEST', message);
  }
}

/** The class names a caller can rely on, for the docs test. */
export function isReinhardtError(value: unknown): value is ReinhardtError {
  return value instanceof ReinhardtError;
}
