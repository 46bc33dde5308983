/** Writing an HttpResponse to Fastify's reply: status, headers, queued cookies, body. */
import type { FastifyReply } from 'fastify';
import type { CookieOptions } from './response.js';
import type { HttpResponse } from './response.js';
import { siteServices } from './services.js';
import { signedCookieValue } from './signed-cookies.js';

type FastifySameSite = 'lax' | 'strict' | 'none' | boolean;

function sameSite(value: CookieOptions['sameSite']): FastifySameSite | undefined {
  if (value === undefined) return undefined;
  if (value === false) return false;
  return value.toLowerCase() as FastifySameSite;
}

export function sendResponse(reply: FastifyReply, response: HttpResponse): FastifyReply {
  reply.code(response.status);
  for (const [name, value] of response.headers()) reply.header(name, value);
  for (const c of response.cookies) {
    // Signed at the last moment, with the settings of the site that answers.
    const value = c.signSalt === undefined ? c.value : signedCookieValue(siteServices(reply.request).settings, c.name, c.value, c.signSalt);
    reply.setCookie(c.name, value, {
      path: c.options.path,
      domain: c.options.domain,
      maxAge: c.options.maxAge,
      expires: c.options.expires,
      secure: c.options.secure,
      httpOnly: c.options.httpOnly,
      sameSite: sameSite(c.options.sameSite),
    });
  }
  return reply.send(response.content);
}
