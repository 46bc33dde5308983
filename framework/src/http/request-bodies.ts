/**
 * Which request bodies reach a view, and how, as Django reads them:
 * - any method Node's HTTP parser accepts may carry a body, not only those Fastify knows (PROPFIND,
 *   REPORT, SEARCH, LOCK...): they are declared to Fastify, which then reads their bodies. CONNECT
 *   is not a request Node hands to the server's request handler, so it is left out;
 * - any content type reaches the view: forms and JSON parsed (@fastify/formbody, Fastify's own
 *   JSON), text/plain as a string, and everything else (XML, application/octet-stream, a body
 *   with no Content-Type) as the Buffer that arrived, as Django's request.body;
 * - multipart/form-data is refused with a 415 that says so: request.POST would otherwise be empty
 *   for a form with a file field, and a form that loses its fields without a word is worse than
 *   one that fails.
 * Every body is held to DATA_UPLOAD_MAX_MEMORY_SIZE (Fastify's bodyLimit, set in app.ts); a body
 * over it becomes RequestDataTooBig in the error funnel.
 */
import { METHODS } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { LoadedSettings } from '../conf/settings-types.js';
import { UnsupportedMediaType } from '../errors.js';

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

export function acceptRequestBodies(fastify: FastifyInstance): void {
  for (const method of extraMethods(fastify)) fastify.addHttpMethod(method, { hasBody: true });
  fastify.addContentTypeParser('multipart/form-data', (_request, _payload, done) => {
    done(
      new UnsupportedMediaType(
        'multipart/form-data request bodies are not supported yet: send the form as application/x-www-form-urlencoded (a <form> without enctype).',
      ),
    );
  });
  // '*': every other type, and a body sent without a Content-Type.
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}
