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
 * - multipart/form-data is refused with a 415 that says so: request.POST would otherwise be empty
 *   for a form with a file field, and a form that loses its fields without a word is worse than
 *   one that fails.
 * Every body is held to DATA_UPLOAD_MAX_MEMORY_SIZE (Fastify's bodyLimit, set in app.ts); a body
 * over it becomes RequestDataTooBig in the error funnel.
 */
import { type IncomingHttpHeaders, METHODS } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { LoadedSettings } from '../conf/settings-types.js';
import { UnsupportedMediaType } from '../errors.js';
import { countFields } from './query-dict.js';

/** What a body may weigh when DATA_UPLOAD_MAX_MEMORY_SIZE is null: Fastify needs some limit. */
const NO_LIMIT_BYTES = 1024 * 1024 * 1024;

/** The largest body the server reads, in bytes (Fastify's bodyLimit). */
export function bodyLimit(settings: LoadedSettings): number {
  return settings.DATA_UPLOAD_MAX_MEMORY_SIZE ?? NO_LIMIT_BYTES;
}

/** The message of a body over bodyLimit(), naming the setting. */
export function bodyTooLargeMessage(settings: LoadedSettings): string {
  const limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE;
  return limit === null
    ? `The request body is larger than the server reads (${NO_LIMIT_BYTES} bytes; DATA_UPLOAD_MAX_MEMORY_SIZE is null).`
    : `The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE (${limit} bytes).`;
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
