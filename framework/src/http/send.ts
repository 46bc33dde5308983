/** Writing an HttpResponse to Fastify's reply: status, headers, queued cookies, body. */
import type { FastifyReply } from 'fastify';
import type { CookieOptions } from './response.js';
import type { HttpResponse } from './response.js';
import { noteBodyLength } from './access-log.js';
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

/**
 * A view's response, written straight to Node's response when nothing in it needs Fastify's
 * reply: Fastify's header bookkeeping, send() and onSend hooks (only @fastify/cookie's, for
 * Set-Cookie) measured 7 µs a request of server CPU on /hello/ and /drinks/ (interleaved A/B,
 * 4 rounds). The reply is hijacked, as Fastify documents for code that writes the response
 * itself. Anything else takes sendResponse: cookies to set, HEAD, statuses without a body
 * (1xx, 204, 304), a status Fastify would refuse (not a whole number from 200 to 599), a Buffer
 * body. Once hijacked, nothing may make writeHead throw, or the client would get no answer at
 * all: headers were checked with Node's rules when they were set (response.ts), and the status
 * is checked here.
 */
export function sendViewResponse(reply: FastifyReply, response: HttpResponse): FastifyReply {
  const status = response.status;
  const body = response.content;
  if (
    typeof body !== 'string' ||
    response.cookies.length > 0 ||
    !Number.isInteger(status) ||
    status < 200 ||
    status > 599 ||
    status === 204 ||
    status === 304 ||
    reply.request.raw.method === 'HEAD'
  ) {
    return sendResponse(reply, response);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers()) headers[name] = value;
  // The length of what is sent, whatever a view put in Content-Length (as Fastify does).
  const length = Buffer.byteLength(body);
  headers['content-length'] = String(length);
  noteBodyLength(reply.request.raw, length);
  reply.hijack();
  reply.raw.writeHead(status, headers);
  reply.raw.end(body);
  return reply;
}
