/**
 * DEFAULT_LOGGING: where Reinhardt's records go before a project says otherwise. The LOGGING
 * setting is applied over it (see merge-config.ts). Plain data, so the docs can quote it and a
 * project can read it; modelled on Django's django/utils/log.py DEFAULT_LOGGING.
 *
 * In words:
 * - With DEBUG on, everything under 'reinhardt' at INFO and above is printed to the console
 *   (pretty lines); with DEBUG off, the console stays quiet.
 * - With DEBUG off, everything under 'reinhardt' at ERROR and above is mailed to ADMINS: that is
 *   the 500 error mail and the DisallowedHost mail of the chapter. Stopping it is a LOGGING change
 *   (see docs/logging.md).
 * - The servers' access log ('reinhardt.server') has its own console handler and does not
 *   propagate, so access lines are printed once and never mailed.
 * - Mail that could not be sent is reported on 'reinhardt.mail', which has its own console
 *   handler and does not propagate: a failure to send error mail must never itself be mailed.
 */
import type { LoggingConfig } from './types.js';

export const DEFAULT_LOGGING = {
  version: 1,
  // Unlike Python's dictConfig default: a LOGGING that forgets this key keeps Reinhardt's loggers.
  disable_existing_loggers: false,

  filters: {
    require_debug_false: { '()': 'require-debug-false' },
    require_debug_true: { '()': 'require-debug-true' },
  },

  formatters: {
    // Django's runserver line, '[24/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 1234', in DEBUG; a
    // JSON line for a log collector otherwise.
    'reinhardt.server': { '()': 'server', format: '[{server_time}] {message}' },
  },

  handlers: {
    // Pretty lines in DEBUG (the filter keeps it silent otherwise).
    console: { class: 'console', level: 'INFO', filters: ['require_debug_true'] },
    'reinhardt.server': { class: 'console', level: 'INFO', formatter: 'reinhardt.server' },
    // Error mail to ADMINS, off the request path, storms grouped (see handlers/mail-admins.ts).
    mail_admins: { class: 'mail-admins', level: 'ERROR', filters: ['require_debug_false'] },
    // Failures to send mail: always shown, whatever DEBUG says.
    'reinhardt.mail': { class: 'console', level: 'WARNING' },
    // A place to send records to be dropped: `loggers: { 'x': { handlers: ['null'], propagate: false } }`.
    null: { class: 'null' },
  },

  loggers: {
    reinhardt: { handlers: ['console', 'mail_admins'], level: 'INFO' },
    'reinhardt.server': { handlers: ['reinhardt.server'], level: 'INFO', propagate: false },
    'reinhardt.mail': { handlers: ['reinhardt.mail'], level: 'INFO', propagate: false },
  },
} as const satisfies LoggingConfig;
