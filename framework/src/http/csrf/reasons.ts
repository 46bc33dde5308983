/**
 * Why a CSRF check failed, in Django's words: the reason is shown on the DEBUG page and logged on
 * 'reinhardt.security.csrf', and keeping Django's phrases lets search results for them help.
 */
export const REASON_BAD_ORIGIN = (origin: string) => `Origin checking failed - ${origin} does not match any trusted origins.`;
export const REASON_NO_REFERER = 'Referer checking failed - no Referer.';
export const REASON_BAD_REFERER = (referer: string) => `Referer checking failed - ${referer} does not match any trusted origins.`;
export const REASON_MALFORMED_REFERER = 'Referer checking failed - Referer is malformed.';
export const REASON_INSECURE_REFERER = 'Referer checking failed - Referer is insecure while host is secure.';
export const REASON_NO_CSRF_COOKIE = 'CSRF cookie not set.';
export const REASON_CSRF_TOKEN_MISSING = 'CSRF token missing.';
