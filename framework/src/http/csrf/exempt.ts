/**
 * Views that opt out of CSRF checks (Django's csrf_exempt): webhooks and APIs authenticated
 * by other means. The mark lives on the view function itself, so wrapping a view in another
 * function (a decorator of the site's own) drops it, as in Django.
 */
import type { View } from '../../urls/patterns.js';

const exempt = new WeakSet<View>();

/**
 * Mark a view as not needing a CSRF token; answers the same view.
 *
 * @example
 * export const webhook = csrfExempt((request) => new JsonResponse({ ok: true }));
 */
export function csrfExempt<V extends View>(view: V): V {
  exempt.add(view);
  return view;
}

export function isCsrfExempt(view: View): boolean {
  return exempt.has(view);
}

/**
 * Set (true) on a raw request to skip the checks, as Django's test client does with
 * `_dont_enforce_csrf_checks`: only code in the process can set it, never a client. The test
 * client of reinhardt/test uses it unless told to enforce the checks.
 */
export const DONT_ENFORCE_CSRF_CHECKS: unique symbol = Symbol('reinhardt.dontEnforceCsrfChecks');
