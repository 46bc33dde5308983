/**
 * Which request bodies reach a view, and how, as Django reads them:
 * - any method Node's HTTP parser accepts may carry a body, not only those Fastify knows (PROPFIND,
 *   REPORT, SEARCH, LOCK...): they are declared to Fastify, which then reads their bodies. CONNECT
 *   is not a request Node hands to the server's request handler, so it is left out;
 * - any content type reaches the view: a urlencoded form as an object of its fields (here, below),
 *   JSON parsed (Fastify's own parser), text/plain as a string, and everything else (XML,
 *   application/octet-stream, a body with no Content-Type) as the Buffer that arrived, as
 *   Django's request.body. An empty body is no body, whatever its Content-Type says;
 * - a form with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS is not parsed at all (the limit is
 *   there to bound that work): its body stays the string that arrived, and request.POST throws
 *   TooManyFieldsSent when read, as Django's does;
 * - multipart/form-data is refused with a 415 that says so, when read: request.POST would
 *   otherwise be empty for a form with a file field, and a form that loses its fields without a
 *   word is worse than one that fails.
 * Every body is held to DATA_UPLOAD_MAX_MEMORY_SIZE (Fastify's bodyLimit, set in app.ts); a body
 * over it is RequestDataTooBig.
 *
 * A body that cannot be had (over the limit, shorter than its Content-Length, malformed JSON, a
 * malformed Content-Type, multipart) is not answered before the view, as Fastify would answer
 * it. As in Django, where the body is read when something first asks for it, the request goes
 * through the middleware and the view as any other, and request.body (and request.POST, for a
 * POSTed form) throws the error when read: bodyErrorOf() says which, app.ts's error handler
 * sends the request on. A view that never reads the body answers as usual; one that does gets
 * the 400 or 415 with every header the middleware adds.
 */
import { type IncomingHttpHeaders, METHODS } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { LoadedSettings } from '../conf/settings-types.js';
import { BadRequest, RequestDataTooBig, UnsupportedMediaType } from '../errors.js';
import { countFields } from './query-dict.js';

/** What a body may weigh when DATA_UPLOAD_MAX_MEMORY_SIZE is null: Fastify needs some limit. */
const NO_LIMIT_BYTES = 1024 * 1024 * 1024;

/** The largest body the server reads, in bytes (Fastify's bodyLimit). */
export function bodyLimit(settings: LoadedSettings): number {
  return settings.DATA_UPLOAD_MAX_MEMORY_SIZE ?? NO_LIMIT_BYTES;
}

/** The message of a body over bodyLimit(), naming the setting. */
function bodyTooLargeMessage(settings: LoadedSettings): string {
  const limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE;
  return limit === null
    ? `The request body is larger than the server reads (${NO_LIMIT_BYTES} bytes; DATA_UPLOAD_MAX_MEMORY_SIZE is null).`
    : `The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE (${limit} bytes).`;
}

/** Fastify's errors in reading or parsing a body, as the framework's own (null: the limit's, named by the setting). */
const FASTIFY_BODY_ERRORS: ReadonlyMap<string, (() => Error) | null> = new Map<string, (() => Error) | null>([
  ['FST_ERR_CTP_BODY_TOO_LARGE', null],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', () => new UnsupportedMediaType('The Content-Type header is not a media type the server can read.')],
  ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', () => new BadRequest('The request body is not as long as its Content-Length header says.')],
  [
    'FST_ERR_CTP_INVALID_JSON_BODY',
    () => new BadRequest('The request body is not JSON the server accepts (it is malformed, or has a __proto__ or constructor.prototype key), though its Content-Type says application/json.'),
  ],
  ['FST_ERR_CTP_EMPTY_JSON_BODY', () => new BadRequest('The request body is empty, though its Content-Type says application/json.')],
  ['FST_ERR_ROUTE_MISSING_CONTENT_TYPE', () => new BadRequest('The request has a method that requires a Content-Type header, and none.')],
]);

/**
 * The framework's error for a failure to read or parse a request body (RequestDataTooBig,
 * BadRequest, UnsupportedMediaType), or undefined when `err` is not one. A client that went
 * away mid-body is not one: there is nobody left to answer (error-funnel.ts).
 */
export function bodyErrorOf(err: unknown, settings: LoadedSettings): Error | undefined {
  if (err instanceof UnsupportedMediaType) return err;
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return undefined;
  const make = FASTIFY_BODY_ERRORS.get(code);
  if (make === undefined) return undefined;
  return make === null ? new RequestDataTooBig(bodyTooLargeMessage(settings)) : make();
}

/** Methods whose requests never reach the request handler (Node emits 'connect' for them). */
const NOT_REQUESTS: ReadonlySet<string> = new Set(['CONNECT']);

/** The methods the HTTP layer accepts beyond those Fastify already knows. */
export function extraMethods(fastify: FastifyInstance): string[] {
  const known = new Set(fastify.supportedMethods);
  return METHODS.filter((m) => !known.has(m) && !NOT_REQUESTS.has(m));
}

/** A form's fields, a repeated name's values in an array (null prototype: names are data). */
function formFields(text: string): Record<string, string | string[]> {
  const fields = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = fields[name];
    if (seen === undefined) fields[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else fields[name] = [seen, value];
  }
  return fields;
}

/** Whether a request's framing announces a body: chunked, or a Content-Length other than 0. */
export function declaresBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function acceptRequestBodies(fastify: FastifyInstance, settings: LoadedSettings): void {
  for (const method of extraMethods(fastify)) fastify.addHttpMethod(method, { hasBody: true });

  const maxFields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS;
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, text, done) => {
    if (text === '') done(null, undefined);
    else done(null, maxFields !== null && countFields(text as string, maxFields) > maxFields ? text : formFields(text as string));
  });

  // Fastify's JSON parser (prototype-poisoning checks and all), except that an empty body is no
  // body rather than a 400: a DELETE sent with a Content-Type and nothing else.
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    if (text === '') done(null, undefined);
    else json(request, text as string, done);
  });

  fastify.addContentTypeParser('multipart/form-data', (request, _payload, done) => {
    if (!declaresBody(request.headers)) {
      done(null, undefined);
      return;
    }
    done(
      new UnsupportedMediaType(
        'multipart/form-data request bodies are not supported yet: send the form as application/x-www-form-urlencoded (a <form> without enctype).',
      ),
    );
  });
  // '*': every other type, and a body sent without a Content-Type.
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, (body as Buffer).length === 0 ? undefined : body));
}
