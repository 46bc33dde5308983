/**
 * The access log: one record on 'reinhardt.server' per response that reached the client, at
 * INFO (2xx/3xx), WARNING (4xx) or ERROR (5xx), as runserver's and gunicorn's lines.
 *
 * It listens on Node's 'http.server.response.finish' diagnostics channel, one subscriber for
 * the process, instead of a Fastify onResponse hook: with an onResponse hook Fastify adds (and
 * later removes) a 'finish' and an 'error' listener on every response, which measured 12 µs of
 * CPU a request here (interleaved A/B on /hello/), more than writing the record itself. The
 * channel sees what went out on the socket, so requests answered by inject() have no access log
 * line (nothing was served).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyReply } from 'fastify';
import type { Logger } from '../log/logger.js';
import { escapeForLog } from './log-response.js';

const CHANNEL = 'http.server.response.finish';
const kStart = Symbol('reinhardt.requestStart');
const kReply = Symbol('reinhardt.reply');

interface FinishMessage {
  readonly request: IncomingMessage & { [kStart]?: number; [kReply]?: FastifyReply };
  readonly response: ServerResponse;
  readonly server: Server;
}

/**
 * Called by the first hook that sees a request, so that its record can say how long it took and
 * how long the body was (Fastify hands its headers to writeHead, where Node keeps no copy).
 */
export function markRequestStart(raw: IncomingMessage, reply: FastifyReply): void {
  const marked = raw as FinishMessage['request'];
  marked[kStart] = performance.now();
  marked[kReply] = reply;
}

function levelFor(status: number): 'ERROR' | 'WARNING' | 'INFO' {
  return status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO';
}

function writeRecord(logger: Logger, { request, response }: FinishMessage): void {
  const status = response.statusCode;
  const level = levelFor(status);
  if (!logger.isEnabledFor(level)) return;
  const method = request.method ?? '-';
  const url = request.url ?? '-';
  const length = (request[kReply] ?? response).getHeader('content-length');
  const line = `"${method} ${escapeForLog(url)} HTTP/${request.httpVersion}" ${status} ${length ?? '-'}`;
  const start = request[kStart];
  const fields: Record<string, unknown> = { status_code: status, method, url };
  if (start !== undefined) fields.duration_ms = Math.round((performance.now() - start) * 100) / 100;
  logger.log(level, line, fields);
}

const servers = new Map<Server, Logger>();

function onFinish(message: unknown): void {
  const finished = message as FinishMessage;
  const logger = servers.get(finished.server);
  if (logger) writeRecord(logger, finished);
}

/** Log every response `server` sends on `logger` until the returned function is called. */
export function logResponsesOf(server: Server, logger: Logger): () => void {
  if (servers.size === 0) subscribe(CHANNEL, onFinish);
  servers.set(server, logger);
  return () => {
    if (servers.get(server) !== logger) return;
    servers.delete(server);
    if (servers.size === 0) unsubscribe(CHANNEL, onFinish);
  };
}
