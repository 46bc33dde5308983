/**
 * Reinhardt's own deployment checks, in the 'reinhardt.' namespace. They cover what the seed
 * chapter warns about and Django does not check:
 *
 * - reinhardt.W001  DEBUG is false, LOGGING mails errors to ADMINS, and ADMINS is empty: error
 *                   mail goes to nobody, so the first anyone hears of a 500 is from a user.
 * - reinhardt.W002  EMAIL_BACKEND is 'console', 'locmem', 'dummy' or 'filebased' in deployment:
 *                   none of them delivers mail (error mail, broken-link mail, the site's own).
 * - reinhardt.W003  'reinhardt.contrib.staticfiles' is installed but STATIC_ROOT is not set:
 *                   with DEBUG false static files are not served, and collectstatic has nowhere
 *                   to gather them for the web server (Table 5-1, "Static resources").
 */
import type { LoadedSettings, LoggingConfig } from '../conf/settings-types.js';
import { DEFAULT_LOGGING } from '../log/default-logging.js';
import { mergeLogging } from '../log/merge-config.js';
import { ConfigProblems, isPlainObject } from '../log/problems.js';
import { type CheckMessage, checkWarning } from './messages.js';
import type { CheckContext } from './registry.js';

export const STATICFILES_APP = 'reinhardt.contrib.staticfiles';

/** Backends that accept mail and deliver none of it. */
export const NON_DELIVERING_EMAIL_BACKENDS: readonly string[] = ['console', 'locmem', 'dummy', 'filebased'];

/** The handler class (short name) that mails ADMINS. */
export const MAIL_ADMINS_HANDLER_CLASS = 'mail-admins';

/**
 * Would LOGGING, laid over DEFAULT_LOGGING exactly as configureLogging lays it (log/merge-config.ts:
 * handlers replaced by name, logger entries overlaid key by key, disable_existing_loggers), hand
 * error records to a mail-admins handler? Using the real defaults and the real merge keeps this
 * check from disagreeing with what the running site does: redefining the 'mail_admins' handler or
 * the 'reinhardt' logger's handlers is how error mail is turned off, as the seed chapter describes.
 * A handler given as an imported class rather than the short name is not recognised. A malformed
 * LOGGING is not this check's business (configureLogging reports it at boot).
 */
export function sendsErrorMailToAdmins(logging: LoggingConfig, defaults: object = DEFAULT_LOGGING): boolean {
  const merged = mergeLogging(logging, new ConfigProblems(), defaults);
  const mailers = new Set(
    Object.entries(merged.handlers)
      .filter(([, h]) => isPlainObject(h) && h['class'] === MAIL_ADMINS_HANDLER_CLASS)
      .map(([name]) => name),
  );
  if (mailers.size === 0) return false;
  return [...Object.values(merged.loggers), merged.root].some(
    (logger) => Array.isArray(logger.handlers) && logger.handlers.some((name) => typeof name === 'string' && mailers.has(name)),
  );
}

export function emailBackendName(settings: LoadedSettings): string | null {
  return typeof settings.EMAIL_BACKEND === 'string' ? settings.EMAIL_BACKEND : null;
}

export const W001 = checkWarning(
  'ADMINS is empty, but DEBUG is false and LOGGING sends error mail to ADMINS: reports of server errors will reach no one.',
  {
    id: 'reinhardt.W001',
    hint:
      "Add the people to tell, e.g. ADMINS: [['Webmaster', 'webmaster@example.com']], or remove the 'mail_admins' handler " +
      "from the 'reinhardt' logger in LOGGING if you do not want error mail.",
  },
);

export function checkAdminsForErrorMail({ settings }: CheckContext): CheckMessage[] {
  if (settings.DEBUG || settings.ADMINS.length > 0) return [];
  return sendsErrorMailToAdmins(settings.LOGGING) ? [W001] : [];
}

export function checkEmailBackend({ settings }: CheckContext): CheckMessage[] {
  const name = emailBackendName(settings);
  if (name === null || !NON_DELIVERING_EMAIL_BACKENDS.includes(name)) return [];
  return [
    checkWarning(
      `EMAIL_BACKEND is '${name}' in deployment: it delivers no mail, so error mail to ADMINS, broken-link mail to MANAGERS ` +
        "and the site's own mail reach no one.",
      { id: 'reinhardt.W002', hint: "Use 'smtp' with EMAIL_HOST and EMAIL_PORT (and credentials) in production settings." },
    ),
  ];
}

export const W003 = checkWarning(
  `'${STATICFILES_APP}' is in INSTALLED_APPS but STATIC_ROOT is not set: with DEBUG false static files are not served, ` +
    'and collectstatic has no folder to collect them into for the web server.',
  {
    id: 'reinhardt.W003',
    hint: "Set STATIC_ROOT to an absolute folder, e.g. join(BASE_DIR, 'staticfiles') with BASE_DIR from projectPaths(import.meta.url).",
  },
);

export function checkStaticRoot({ settings }: CheckContext): CheckMessage[] {
  return settings.INSTALLED_APPS.includes(STATICFILES_APP) && !settings.STATIC_ROOT ? [W003] : [];
}
