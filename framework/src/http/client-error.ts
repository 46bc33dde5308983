/**
 * Requests Node's HTTP parser cannot read (a malformed request line, headers over the size limit,
 * a request that took too long) never reach Fastify's router or the site, so the site's error
 * pages cannot answer them. They get the built-in bare pages a production 400 gets, with the
 * status Fastify would give (408, 431, else 400), instead of Fastify's JSON, and the connection is
 * closed. Nothing is logged, as Fastify logs them only at trace: they are network noise that any
 * client can make.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { plainPage } from './plain-pages.js';

export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const page = plainPage(status);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: text/html; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(page)}\r\nConnection: close\r\n\r\n${page}`,
    );
  }
  socket.destroy(err);
}
