/**
 * Deployment checks on the session and CSRF cookies, with Django's ids (django/core/checks/
 * security/sessions.py and csrf.py). The sessions app is 'reinhardt.contrib.sessions'; the
 * middleware are 'sessions' and 'csrf'. As in Django, when both the app and the middleware are
 * present one combined warning (W012, W015) replaces the two specific ones.
 */
import { type CheckMessage, checkWarning } from './messages.js';
import type { CheckContext } from './registry.js';
import { usesMiddleware } from './security.js';

export const SESSIONS_APP = 'reinhardt.contrib.sessions';

const SECURE_REASON =
  ' Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions.';
const HTTPONLY_REASON =
  ' Using an HttpOnly session cookie makes it more difficult for cross-site scripting attacks to hijack user sessions.';

export const W003 = checkWarning(
  "You don't appear to be using Reinhardt's built-in cross-site request forgery protection via the middleware " +
    "('csrf' is not in your MIDDLEWARE). Enabling the middleware is the safest approach to ensure you don't leave any holes.",
  { id: 'security.W003' },
);
export const W010 = checkWarning(
  `You have '${SESSIONS_APP}' in your INSTALLED_APPS, but you have not set SESSION_COOKIE_SECURE to true.${SECURE_REASON}`,
  { id: 'security.W010' },
);
export const W011 = checkWarning(
  `You have the 'sessions' middleware in your MIDDLEWARE, but you have not set SESSION_COOKIE_SECURE to true.${SECURE_REASON}`,
  { id: 'security.W011' },
);
export const W012 = checkWarning(`SESSION_COOKIE_SECURE is not set to true.${SECURE_REASON}`, { id: 'security.W012' });
export const W013 = checkWarning(
  `You have '${SESSIONS_APP}' in your INSTALLED_APPS, but you have not set SESSION_COOKIE_HTTPONLY to true.${HTTPONLY_REASON}`,
  { id: 'security.W013' },
);
export const W014 = checkWarning(
  `You have the 'sessions' middleware in your MIDDLEWARE, but you have not set SESSION_COOKIE_HTTPONLY to true.${HTTPONLY_REASON}`,
  { id: 'security.W014' },
);
export const W015 = checkWarning(`SESSION_COOKIE_HTTPONLY is not set to true.${HTTPONLY_REASON}`, { id: 'security.W015' });
export const W016 = checkWarning(
  "You have the 'csrf' middleware in your MIDDLEWARE, but you have not set CSRF_COOKIE_SECURE to true. Using a " +
    'secure-only CSRF cookie makes it more difficult for network traffic sniffers to steal the CSRF token.',
  { id: 'security.W016' },
);

function sessionCookieWarnings(
  ctx: CheckContext,
  ok: boolean,
  [forApp, forMiddleware, forBoth]: readonly [CheckMessage, CheckMessage, CheckMessage],
): CheckMessage[] {
  if (ok) return [];
  const app = ctx.settings.INSTALLED_APPS.includes(SESSIONS_APP);
  const middleware = usesMiddleware(ctx.settings, 'sessions');
  if (app && middleware) return [forBoth];
  if (app) return [forApp];
  if (middleware) return [forMiddleware];
  return [];
}

export function checkSessionCookieSecure(ctx: CheckContext): CheckMessage[] {
  return sessionCookieWarnings(ctx, ctx.settings.SESSION_COOKIE_SECURE === true, [W010, W011, W012]);
}

export function checkSessionCookieHttpOnly(ctx: CheckContext): CheckMessage[] {
  return sessionCookieWarnings(ctx, ctx.settings.SESSION_COOKIE_HTTPONLY === true, [W013, W014, W015]);
}

export function checkCsrfMiddleware({ settings }: CheckContext): CheckMessage[] {
  return usesMiddleware(settings, 'csrf') ? [] : [W003];
}

/** A token kept in the session travels in the session cookie, which W010-W012 cover. */
export function checkCsrfCookieSecure({ settings }: CheckContext): CheckMessage[] {
  return settings.CSRF_USE_SESSIONS || !usesMiddleware(settings, 'csrf') || settings.CSRF_COOKIE_SECURE ? [] : [W016];
}
