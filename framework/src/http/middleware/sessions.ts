/**
 * 'sessions': Django's SessionMiddleware. Gives every request `request.session` (loaded only when
 * read), and after the view writes the cookie when the session changed (or on every request with
 * SESSION_SAVE_EVERY_REQUEST), deletes it when the session was emptied, and marks the response
 * `Vary: Cookie` whenever its content depended on the session.
 *
 * Past Django: a session too large for a browser cookie is an error (SessionTooLarge, a 500 that
 * names the size) instead of a cookie the browser silently drops, losing the session.
 */
import { SessionTooLarge } from '../../errors.js';
import { cookieAttributes, lifetime } from '../cookie-settings.js';
import type { Middleware, MiddlewareContext } from '../middleware.js';
import type { HttpRequest } from '../request.js';
import type { HttpResponse } from '../response.js';
import { createSessionEngine } from '../sessions/engine.js';
import { Session } from '../sessions/session.js';
import { patchVaryHeaders } from '../vary.js';

/** What browsers keep of one cookie's name and value (RFC 6265 asks for at least this much; more is dropped). */
export const MAX_COOKIE_BYTES = 4096;

export async function sessionsMiddleware({ settings }: MiddlewareContext): Promise<Middleware> {
  const engine = await createSessionEngine(settings);
  const name = settings.SESSION_COOKIE_NAME;
  const cookieOptions = cookieAttributes(settings, 'SESSION');

  // Opened when the request first touches its session (client-side engines load lazily anyway).
  const source = { open: (request: HttpRequest) => new Session(engine, settings, request.COOKIES[name]) };

  async function save(session: Session, response: HttpResponse): Promise<HttpResponse> {
    const browserClose = session.getExpireAtBrowserClose();
    const maxAge = browserClose ? undefined : session.getExpiryAge();
    const value = await session.save();
    const bytes = Buffer.byteLength(name) + 1 + Buffer.byteLength(value);
    if (bytes > MAX_COOKIE_BYTES) {
      throw new SessionTooLarge(
        `The session cookie '${name}' would be ${bytes.toLocaleString('en-US')} bytes, over the ${MAX_COOKIE_BYTES.toLocaleString('en-US')} ` +
          'that browsers keep: they would drop it and the session would be lost. Keep less in the session (ids rather than ' +
          'whole objects), or use a server-side SESSION_ENGINE.',
      );
    }
    response.setCookie(name, value, { ...cookieOptions, ...lifetime(maxAge) });
    return response;
  }

  return {
    name: 'sessions',
    processRequest(request) {
      request.sessionSource = source;
      const key = engine.serverSide ? request.COOKIES[name] : undefined;
      if (!key) return undefined;
      // A server-side store answers asynchronously: load before the view, so reads stay synchronous.
      return Promise.resolve(engine.load(key)).then((data) => {
        request.session = new Session(engine, settings, key, data ?? null);
        return undefined;
      });
    },
    processResponse(request, response) {
      // A session nobody opened has nothing to save, unless every request saves it.
      if (!request.hasSession() && !(settings.SESSION_SAVE_EVERY_REQUEST && request.COOKIES[name] !== undefined)) return response;
      const session = request.session;
      const empty = session.isEmpty();
      if (request.COOKIES[name] !== undefined && empty) {
        response.deleteCookie(name, { path: cookieOptions.path, domain: cookieOptions.domain, sameSite: cookieOptions.sameSite });
        patchVaryHeaders(response, ['Cookie']);
        return engine.serverSide ? session.forget().then(() => response) : response;
      }
      if (session.accessed) patchVaryHeaders(response, ['Cookie']);
      // A failed response keeps the old session: whatever the view half-did is not saved.
      if ((session.modified || settings.SESSION_SAVE_EVERY_REQUEST) && !empty && response.status < 500) {
        return save(session, response);
      }
      return response;
    },
  };
}
