/** Writing an HttpResponse to Fastify's reply: status, headers, queued cookies, body. */
import type { FastifyReply } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { type CookieOptions, headerList, type HttpResponse } from './response.js';
import { escapeControl } from '../log/escape.js';
import { getLogger } from '../log/logger.js';
import { noteBodyLength } from './access-log.js';
import { plainPage } from './plain-pages.js';
import { declaresBody } from './request-bodies.js';
import { originForm } from './request-target.js';
import { siteServices } from './services.js';
import { signedCookieValue } from './signed-cookies.js';

type FastifySameSite = 'lax' | 'strict' | 'none' | boolean;

function sameSite(value: CookieOptions['sameSite']): FastifySameSite | undefined {
  if (value === undefined) return undefined;
  if (value === false) return false;
  return value.toLowerCase() as FastifySameSite;
}

/**
 * Whether the request's body is still (partly) unread as its answer goes out: a 415 for a
 * malformed Content-Type, a GET that came with a body. Node would read and throw away the rest
 * to keep the connection alive, however long the client sends; the answer closes it instead. A
 * request without a body is never complete yet when a synchronous view answers it (Node marks it
 * so after its handler returns), hence the look at its framing first.
 */
function bodyLeftUnread(raw: IncomingMessage): boolean {
  return declaresBody(raw.headers) && !raw.complete;
}

export function sendResponse(reply: FastifyReply, response: HttpResponse): FastifyReply {
  const status = Number(response.status);
  // Node would send a 1xx and then wait for a final response that never comes.
  if (status >= 100 && status < 200) throw new TypeError(`A response cannot have the informational status ${status}: use one from 200 to 599.`);
  reply.code(status);
  const list = headerList(response);
  for (let i = 0; i < list.length; i += 2) reply.header(list[i]!, list[i + 1]!);
  if (bodyLeftUnread(reply.request.raw)) reply.header('connection', 'close');
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
 * (204, 304), a status Fastify would refuse (not a whole number from 200 to 599; a 1xx is
 * refused there too), a Buffer body. Once hijacked, nothing may make writeHead throw, or the
 * client would get no answer at all: headers were checked when they were set (response.ts), the
 * status is checked here, and lastResort covers what slips through.
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
  // A flat [name, value, ...] list, which writeHead takes as it takes an object: an object built
  // name by name here cost a megamorphic store per header, and Node's for-in over it more.
  const close = bodyLeftUnread(reply.request.raw);
  const headers: string[] = [];
  const list = headerList(response);
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!;
    if (name !== 'content-length' && !(close && name === 'connection')) headers.push(name, list[i + 1]!);
  }
  // The length of what is sent, whatever a view put in Content-Length (as Fastify does).
  const length = Buffer.byteLength(body);
  headers.push('content-length', String(length));
  if (close) headers.push('connection', 'close');
  noteBodyLength(reply.request.raw, length);
  reply.hijack();
  try {
    reply.raw.writeHead(status, headers);
  } catch (err) {
    lastResort(reply, err);
    return reply;
  }
  reply.raw.end(body);
  return reply;
}

const requestLogger = getLogger('reinhardt.request');

/**
 * writeHead refused a hijacked response, which the checks above are there to prevent: the error
 * is logged (and mailed, like any server error) and the client gets the plain 500 page instead of
 * waiting for an answer that would never come.
 */
function lastResort(reply: FastifyReply, err: unknown): void {
  requestLogger.error(`Internal Server Error: ${escapeControl(originForm(reply.request.raw.url ?? ''))}`, { err, status_code: 500 });
  try {
    const page = plainPage(500);
    // The failed writeHead may have set its own status message already.
    reply.raw.writeHead(500, 'Internal Server Error', { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(page)) });
    reply.raw.end(page);
  } catch {
    reply.raw.destroy();
  }
}
