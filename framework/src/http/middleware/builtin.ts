/**
 * The built-in middleware names. Each is loaded only when MIDDLEWARE uses it, so an unused one
 * costs nothing at start-up.
 */
import { registerMiddleware } from '../middleware.js';

registerMiddleware('security', async () => (await import('./security.js')).securityMiddleware);
registerMiddleware('common', async () => (await import('./common.js')).commonMiddleware);
registerMiddleware('x-frame-options', async () => (await import('./x-frame-options.js')).xFrameOptionsMiddleware);
registerMiddleware('broken-link-emails', async () => (await import('./broken-link-emails.js')).brokenLinkEmailsMiddleware);
registerMiddleware('sessions', async () => (await import('./sessions.js')).sessionsMiddleware);
registerMiddleware('csrf', async () => (await import('./csrf.js')).csrfMiddleware);
registerMiddleware('messages', async () => (await import('../../messages/middleware.js')).messagesMiddleware);
