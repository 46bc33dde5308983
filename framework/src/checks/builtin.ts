/**
 * The built-in checks and their tags, in the order they run. All of them are deployment checks
 * (`check --deploy`), like Django's security checks: in development most of them would only be
 * noise. Other parts of the framework and apps add theirs with registerCheck().
 */
import type { CheckRegistry } from './registry.js';
import { Tags } from './registry.js';
import { checkAdminsForErrorMail, checkEmailBackend, checkStaticRoot } from './reinhardt-checks.js';
import {
  checkAllowedHosts,
  checkContentTypeNosniff,
  checkCrossOriginOpenerPolicy,
  checkDebugSetting,
  checkHsts,
  checkReferrerPolicy,
  checkSecretKey,
  checkSecretKeyFallbacks,
  checkSecurityMiddleware,
  checkSslRedirect,
  checkXFrameDeny,
  checkXFrameOptionsMiddleware,
} from './security.js';
import {
  checkCsrfCookieSecure,
  checkCsrfMiddleware,
  checkSessionCookieHttpOnly,
  checkSessionCookieSecure,
} from './security-cookies.js';

export function registerBuiltinChecks(registry: CheckRegistry): void {
  const security = { tags: [Tags.security], deploy: true };
  for (const check of [
    checkSecurityMiddleware,
    checkXFrameOptionsMiddleware,
    checkHsts,
    checkContentTypeNosniff,
    checkSslRedirect,
    checkSecretKey,
    checkSecretKeyFallbacks,
    checkDebugSetting,
    checkXFrameDeny,
    checkAllowedHosts,
    checkReferrerPolicy,
    checkCrossOriginOpenerPolicy,
    checkSessionCookieSecure,
    checkSessionCookieHttpOnly,
    checkCsrfMiddleware,
    checkCsrfCookieSecure,
  ]) {
    registry.register(check, security);
  }
  registry.register(checkAdminsForErrorMail, { tags: [Tags.mail], deploy: true });
  registry.register(checkEmailBackend, { tags: [Tags.mail], deploy: true });
  registry.register(checkStaticRoot, { tags: [Tags.staticfiles], deploy: true });
}
