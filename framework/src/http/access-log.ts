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
 *
 * A finished response only notes what its record needs (status, method, URL, length, duration,
 * time); the records of one turn of the event loop are made together at the end of the turn
 * (setImmediate), each with the time its response finished. Made one by one between requests,
 * each record ran through the logging code cold: 8 µs of CPU a request more on /hello/ than made
 * in a batch (interleaved A/B, 5 rounds). They are also made when the server closes (before
 * `serve` flushes the logs), and at exit, where the console handler still writes them (a file
 * or mail handler cannot write any more by then). Access lines can therefore follow records
 * that other loggers made later in the same turn.
 *
 * When every handler of 'reinhardt.server' writes plain JSON lines and no filter looks at the
 * records (the default LOGGING away from DEBUG), a record's line is rendered here and handed to
 * the handlers as it is (log/types.ts JsonLineWriter): the same bytes as the generic path
 * (access-log.test.ts compares them), for about 1 µs of CPU less a request.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyReply } from 'fastify';
import { redactSecrets, secretsCanSpanParts } from '../conf/mask.js';
import { jsonEscaped } from '../log/escape.js';
import { jsonLineWriter, type LevelName, type Logger, logAt } from '../log/logger.js';
import { escapeForLog } from './log-response.js';

const CHANNEL = 'http.server.response.finish';
const kStart = Symbol('reinhardt.requestStart');
const kReply = Symbol('reinhardt.reply');
const kLength = Symbol('reinhardt.bodyLength');

interface FinishMessage {
  readonly request: IncomingMessage & { [kStart]?: number; [kReply]?: FastifyReply; [kLength]?: number };
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

/** The body length of a response written past Fastify's reply (send.ts), for its record. */
export function noteBodyLength(raw: IncomingMessage, length: number): void {
  (raw as FinishMessage['request'])[kLength] = length;
}

function levelFor(status: number): LevelName {
  return status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO';
}

/** What a record needs, taken when its response finished (the request may be reused after). */
interface Finished {
  readonly logger: Logger;
  readonly level: LevelName;
  readonly time: number;
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly length: unknown;
  /** Hundredths of a millisecond (a whole number), so that the fast path writes it without a float. */
  readonly duration: number | undefined;
}

let pending: Finished[] = [];
let scheduled = false;

function note(logger: Logger, { request, response }: FinishMessage): void {
  const status = response.statusCode;
  const level = levelFor(status);
  if (!logger.isEnabledFor(level)) return;
  const start = request[kStart];
  pending.push({
    logger,
    level,
    time: Date.now(),
    status,
    method: request.method ?? '-',
    url: request.url ?? '-',
    httpVersion: request.httpVersion,
    // Fastify hands its headers to writeHead, where Node keeps no copy: its reply has them.
    length: request[kLength] ?? (request[kReply] ?? response).getHeader('content-length'),
    duration: start === undefined ? undefined : Math.round((performance.now() - start) * 100),
  });
  if (!scheduled) {
    scheduled = true;
    setImmediate(writePending);
  }
}

/**
 * `hundredths` / 100 as JSON writes that number ('12', '12.5', '12.05'), from whole numbers only:
 * V8 turns a fraction into text with its shortest round-trip algorithm, several hundred
 * instructions a record. For a whole number up to 10^12 the shortest text of the division is
 * exactly these digits.
 */
export function durationText(hundredths: number): string {
  // Past 10^12 (four months) a double no longer holds every hundredth: the division's own text.
  if (!Number.isInteger(hundredths) || hundredths < 0 || hundredths > 1e12) return String(hundredths / 100);
  const whole = Math.trunc(hundredths / 100);
  const part = hundredths - whole * 100;
  if (part === 0) return String(whole);
  if (part % 10 === 0) return `${whole}.${part / 10}`;
  return `${whole}.${part < 10 ? '0' : ''}${part}`;
}

/** The access line's message, as runserver writes it (the generic path's text). */
function message(r: Finished): string {
  return `"${r.method} ${escapeForLog(r.url)} HTTP/${r.httpVersion}" ${r.status} ${r.length ?? '-'}`;
}

/**
 * The record's fields and message rendered as log/prepare.ts and pino would render them, for a
 * handler that takes pre-rendered lines (log/types.ts JsonLineWriter), from the parts of the
 * message rather than from its text: each part is redacted and escaped once (the URL appears
 * twice), where the generic path redacts the whole message. The two agree unless a secret could
 * run across the fixed text between the parts (' HTTP/1.1" 200 '), which only a secret with a
 * space, a quote or a control character can: with such a secret registered the message is
 * redacted whole here too. The status and duration are finite numbers, the HTTP version digits;
 * the field names are neither reserved nor secret-looking.
 */
function renderedFields(r: Finished): string {
  const method = jsonEscaped(redactSecrets(r.method));
  const url = redactSecrets(r.url);
  const urlText = jsonEscaped(url);
  const duration = r.duration === undefined ? '' : `,"duration_ms":${durationText(r.duration)}`;
  const fields = `,"status_code":${r.status},"method":"${method}","url":"${urlText}"${duration},"msg":"`;
  // A secret with a space, a quote or a control character could run across the parts: then the
  // message is redacted whole, as on the generic path.
  if (secretsCanSpanParts()) return `${fields}${jsonEscaped(redactSecrets(message(r)))}"`;
  const logged = escapeForLog(url);
  const msgUrl = logged === url ? urlText : jsonEscaped(logged);
  const length = r.length === undefined || r.length === null ? '-' : jsonEscaped(redactSecrets(String(r.length)));
  return `${fields}\\"${method} ${msgUrl} HTTP/${r.httpVersion}\\" ${r.status} ${length}"`;
}

/** Make the records noted so far. */
function writePending(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  for (const r of batch) {
    try {
      // The usual case (JSON lines to the console or a file, no filter): the line is made here,
      // instead of by the generic preparation and pino's serialiser, which were most of the
      // access log's cost. Otherwise the record goes the way every record goes.
      const write = jsonLineWriter(r.logger, r.level);
      if (write) {
        write(r.level, r.time, renderedFields(r));
        continue;
      }
      const fields: Record<string, unknown> = { status_code: r.status, method: r.method, url: r.url };
      if (r.duration !== undefined) fields.duration_ms = r.duration / 100;
      logAt(r.logger, r.time, r.level, message(r), fields);
    } catch {
      // The router reports a failing handler itself; whatever else went wrong with one record
      // must not cost the others theirs, nor surface as an uncaught exception.
    }
  }
}

const servers = new Map<Server, Logger>();

function onFinish(message: unknown): void {
  const finished = message as FinishMessage;
  const logger = servers.get(finished.server);
  if (logger) note(logger, finished);
}

let exitHookInstalled = false;

/** Log every response `server` sends on `logger` until the returned function is called. */
export function logResponsesOf(server: Server, logger: Logger): () => void {
  if (servers.size === 0) subscribe(CHANNEL, onFinish);
  servers.set(server, logger);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Before the console handler's own exit hook writes what it holds.
    process.prependListener('exit', writePending);
  }
  return () => {
    writePending();
    if (servers.get(server) !== logger) return;
    servers.delete(server);
    if (servers.size === 0) unsubscribe(CHANNEL, onFinish);
  };
}
