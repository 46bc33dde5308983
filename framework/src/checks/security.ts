/**
 * Deployment checks on the security settings, with Django's ids (django/core/checks/security/
 * base.py) so that documentation and habits carry over. Django names middleware by class path;
 * Reinhardt by short name ('security', 'x-frame-options'), and the messages say so.
 *
 * A middleware given as an imported implementation rather than its short name is not recognised
 * here; the built-ins are meant to be named.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import { type CheckMessage, checkError, checkWarning } from './messages.js';
import type { CheckContext } from './registry.js';

export const REFERRER_POLICY_VALUES: readonly string[] = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
];

export const CROSS_ORIGIN_OPENER_POLICY_VALUES: readonly string[] = ['same-origin', 'same-origin-allow-popups', 'unsafe-none'];

/** startproject writes keys with this prefix; Django's equivalent is 'django-insecure-'. */
export const SECRET_KEY_INSECURE_PREFIX = 'reinhardt-insecure-';
export const SECRET_KEY_MIN_LENGTH = 50;
export const SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5;

export function usesMiddleware(settings: LoadedSettings, shortName: string): boolean {
  return settings.MIDDLEWARE.includes(shortName);
}

const SECRET_KEY_HINT = 'Run `generatesecretkey` and pass the new key to production through an environment variable (env.str).';

function weakKeyMessage(setting: string): string {
  return (
    `Your ${setting} has less than ${SECRET_KEY_MIN_LENGTH} characters, less than ${SECRET_KEY_MIN_UNIQUE_CHARACTERS} unique characters, ` +
    `or it's prefixed with '${SECRET_KEY_INSECURE_PREFIX}' indicating that it was generated automatically by Reinhardt. ` +
    "Please generate a long and random value, otherwise many of Reinhardt's security-critical features will be vulnerable to attack."
  );
}

export const W001 = checkWarning(
  "You do not have the 'security' middleware in your MIDDLEWARE so the SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, " +
    'SECURE_REFERRER_POLICY, SECURE_CROSS_ORIGIN_OPENER_POLICY, and SECURE_SSL_REDIRECT settings will have no effect.',
  { id: 'security.W001' },
);
export const W002 = checkWarning(
  "You do not have the 'x-frame-options' middleware in your MIDDLEWARE, so your pages will not be served with an " +
    "'x-frame-options' header. Unless there is a good reason for your site to be served in a frame, you should consider " +
    'enabling this header to help prevent clickjacking attacks.',
  { id: 'security.W002' },
);
export const W004 = checkWarning(
  'You have not set a value for the SECURE_HSTS_SECONDS setting. If your entire site is served only over SSL, you may want ' +
    'to consider setting a value and enabling HTTP Strict Transport Security. Be sure to read the documentation first; ' +
    'enabling HSTS carelessly can cause serious, irreversible problems.',
  { id: 'security.W004' },
);
export const W005 = checkWarning(
  'You have not set the SECURE_HSTS_INCLUDE_SUBDOMAINS setting to true. Without this, your site is potentially vulnerable ' +
    'to attack via an insecure connection to a subdomain. Only set this to true if you are certain that all subdomains of ' +
    'your domain should be served exclusively via SSL.',
  { id: 'security.W005' },
);
export const W006 = checkWarning(
  "Your SECURE_CONTENT_TYPE_NOSNIFF setting is not set to true, so your pages will not be served with an " +
    "'X-Content-Type-Options: nosniff' header. You should consider enabling this header to prevent the browser from " +
    'identifying content types incorrectly.',
  { id: 'security.W006' },
);
export const W008 = checkWarning(
  'Your SECURE_SSL_REDIRECT setting is not set to true. Unless your site should be available over both SSL and non-SSL ' +
    'connections, you may want to either set this setting true or configure a load balancer or reverse-proxy server to ' +
    'redirect all connections to HTTPS.',
  { id: 'security.W008' },
);
export const W009 = checkWarning(weakKeyMessage('SECRET_KEY'), { id: 'security.W009', hint: SECRET_KEY_HINT });
export const W018 = checkWarning('You should not have DEBUG set to true in deployment.', { id: 'security.W018' });
export const W019 = checkWarning(
  "You have the 'x-frame-options' middleware in your MIDDLEWARE, but X_FRAME_OPTIONS is not set to 'DENY'. Unless there " +
    "is a good reason for your site to serve other parts of itself in a frame, you should change it to 'DENY'.",
  { id: 'security.W019' },
);
export const W020 = checkWarning('ALLOWED_HOSTS must not be empty in deployment.', {
  id: 'security.W020',
  hint: "List the host names the site answers to, e.g. ALLOWED_HOSTS: ['.coffeehouse.com'] (a leading dot allows subdomains).",
});
export const W021 = checkWarning(
  'You have not set the SECURE_HSTS_PRELOAD setting to true. Without this, your site cannot be submitted to the browser ' +
    'preload list.',
  { id: 'security.W021' },
);
export const W022 = checkWarning(
  'You have not set the SECURE_REFERRER_POLICY setting. Without this, your site will not send a Referrer-Policy header. ' +
    'You should consider enabling this header to protect user privacy.',
  { id: 'security.W022' },
);
export const E023 = checkError('You have set the SECURE_REFERRER_POLICY setting to an invalid value.', {
  id: 'security.E023',
  hint: `Valid values are: ${[...REFERRER_POLICY_VALUES].sort().join(', ')}.`,
});
export const E024 = checkError('You have set the SECURE_CROSS_ORIGIN_OPENER_POLICY setting to an invalid value.', {
  id: 'security.E024',
  hint: `Valid values are: ${[...CROSS_ORIGIN_OPENER_POLICY_VALUES].sort().join(', ')}.`,
});

/** Python's len(set(key)) and len(key) count code points, not UTF-16 units. */
export function isStrongSecretKey(key: string): boolean {
  const chars = [...key];
  return (
    chars.length >= SECRET_KEY_MIN_LENGTH &&
    new Set(chars).size >= SECRET_KEY_MIN_UNIQUE_CHARACTERS &&
    !key.startsWith(SECRET_KEY_INSECURE_PREFIX)
  );
}

export function checkSecurityMiddleware({ settings }: CheckContext): CheckMessage[] {
  return usesMiddleware(settings, 'security') ? [] : [W001];
}

export function checkXFrameOptionsMiddleware({ settings }: CheckContext): CheckMessage[] {
  return usesMiddleware(settings, 'x-frame-options') ? [] : [W002];
}

export function checkHsts({ settings }: CheckContext): CheckMessage[] {
  if (!usesMiddleware(settings, 'security')) return [];
  if (!settings.SECURE_HSTS_SECONDS) return [W004];
  const found: CheckMessage[] = [];
  if (settings.SECURE_HSTS_INCLUDE_SUBDOMAINS !== true) found.push(W005);
  if (settings.SECURE_HSTS_PRELOAD !== true) found.push(W021);
  return found;
}

export function checkContentTypeNosniff({ settings }: CheckContext): CheckMessage[] {
  return !usesMiddleware(settings, 'security') || settings.SECURE_CONTENT_TYPE_NOSNIFF === true ? [] : [W006];
}

export function checkSslRedirect({ settings }: CheckContext): CheckMessage[] {
  return !usesMiddleware(settings, 'security') || settings.SECURE_SSL_REDIRECT === true ? [] : [W008];
}

export function checkSecretKey({ settings }: CheckContext): CheckMessage[] {
  return typeof settings.SECRET_KEY === 'string' && isStrongSecretKey(settings.SECRET_KEY) ? [] : [W009];
}

/** security.W025 (Django 4.1): an old key that still verifies is as good as the current one to an attacker. */
export function checkSecretKeyFallbacks({ settings }: CheckContext): CheckMessage[] {
  const found: CheckMessage[] = [];
  for (const [index, key] of settings.SECRET_KEY_FALLBACKS.entries()) {
    if (!isStrongSecretKey(key)) {
      found.push(checkWarning(weakKeyMessage(`SECRET_KEY_FALLBACKS[${index}]`), { id: 'security.W025', hint: SECRET_KEY_HINT }));
    }
  }
  return found;
}

export function checkDebugSetting({ settings }: CheckContext): CheckMessage[] {
  return settings.DEBUG ? [W018] : [];
}

export function checkXFrameDeny({ settings }: CheckContext): CheckMessage[] {
  return !usesMiddleware(settings, 'x-frame-options') || settings.X_FRAME_OPTIONS === 'DENY' ? [] : [W019];
}

export function checkAllowedHosts({ settings }: CheckContext): CheckMessage[] {
  return settings.ALLOWED_HOSTS.length ? [] : [W020];
}

export function checkReferrerPolicy({ settings }: CheckContext): CheckMessage[] {
  if (!usesMiddleware(settings, 'security')) return [];
  const policy = settings.SECURE_REFERRER_POLICY;
  if (policy === null || policy === undefined) return [W022];
  // A comma-separated string or a list: browsers use the last value they understand.
  const values = typeof policy === 'string' ? policy.split(',').map((v) => v.trim()) : policy;
  return values.every((v) => REFERRER_POLICY_VALUES.includes(v)) ? [] : [E023];
}

export function checkCrossOriginOpenerPolicy({ settings }: CheckContext): CheckMessage[] {
  const policy = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY;
  if (!usesMiddleware(settings, 'security') || policy === null || policy === undefined) return [];
  return CROSS_ORIGIN_OPENER_POLICY_VALUES.includes(policy) ? [] : [E024];
}
