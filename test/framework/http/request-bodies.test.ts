/**
 * Request bodies through a listening site, as Django reads them: any content type and any method
 * the HTTP layer accepts reaches the view, multipart is refused with a 415 that says why, the
 * DATA_UPLOAD_* limits are 400s logged on reinhardt.security, and a body that cannot be read is
 * the view's to find, through the middleware like any other request.
 */
import t, { type Test } from 'tap';
import { installSink, type LogRecord } from '../../../framework/src/log/logger.js';
import { TooManyFieldsSent } from '../../../framework/src/errors.js';
import { QueryDict } from '../../../framework/src/http/query-dict.js';
import { connect } from 'node:net';
import { bootSite, writeSite } from '../../fixtures/sites.js';

function settings(extra = ''): string {
  return `
import { join } from 'node:path';
import { defineSettings, projectPaths } from 'reinhardt/conf';
const { PROJECT_DIR } = projectPaths(import.meta.url);
export default defineSettings({
  TEMPLATES: [{ BACKEND: 'eta', DIRS: [join(PROJECT_DIR, 'templates')] }],
  SECRET_KEY: 'bodies-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789',
  DEBUG: false,
  ALLOWED_HOSTS: ['127.0.0.1'],
  ROOT_URLCONF: 'site.urls',
  MIDDLEWARE: ['security'],
  ${extra}
});
`;
}

const URLS = `
import { path } from 'reinhardt/urls';
import { HttpResponse, JsonResponse } from 'reinhardt/http';
let ran = 0;
export const urlpatterns = [
  path('echo/', (request) => {
    const b = request.body;
    ran++;
    const kind = b === undefined ? 'none' : Buffer.isBuffer(b) ? 'buffer' : typeof b;
    const text = Buffer.isBuffer(b) ? b.toString('hex') : typeof b === 'string' ? b : JSON.stringify(b ?? null);
    return new JsonResponse({ method: request.method, kind, text, post: request.POST.toObject() });
  }),
  path('query/', (request) => new HttpResponse(String(request.GET.getAll('a').length))),
  path('ignores-query/', () => new HttpResponse('fine')),
  path('ignores-body/', (request) => new HttpResponse('fine: ' + request.method)),
  path('ran/', () => new HttpResponse(String(ran))),
];
`;

/**
 * Send `bytes` over a fresh socket and return all the server wrote back. `open`: write them but
 * leave our side open (a body still to come), so that the answer ends only if the server closes.
 */
function rawBytes(url: string, bytes: Buffer, open = false): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => (open ? socket.write(bytes) : socket.end(bytes)));
    socket.setTimeout(5000, () => socket.destroy(new Error('the server kept the connection open')));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** One request: the request line, `headers`, then `body` (its Content-Length is added; `chunks`: sent chunked instead). */
function exchange(url: string, requestLine: string, headers: string[], body: string | Buffer = '', chunks?: readonly string[], declared?: number): Promise<string> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const framing = chunks ? 'Transfer-Encoding: chunked' : `Content-Length: ${declared ?? bytes.length}`;
  const head = [requestLine, 'Host: 127.0.0.1', 'Connection: close', ...headers, framing].join('\r\n');
  const payload = chunks ? Buffer.from(`${chunks.map((c) => `${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`).join('')}0\r\n\r\n`) : bytes;
  return rawBytes(url, Buffer.concat([Buffer.from(`${head}\r\n\r\n`), payload]), declared !== undefined);
}

/** The records logged from now on (installed after the site boots, which configures LOGGING). */
function sink(t: Test): LogRecord[] {
  const records: LogRecord[] = [];
  installSink((r) => records.push(r));
  t.teardown(() => installSink(undefined));
  return records;
}

function json(answer: string): Record<string, unknown> {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

t.test('any content type and any method reaches the view', async (t) => {
  const site = await bootSite(t, writeSite(t, { 'site/settings.ts': settings(), 'site/urls.ts': URLS }));

  const xml = await exchange(site.url, 'POST /echo/ HTTP/1.1', ['Content-Type: application/xml'], '<order>mocha</order>');
  t.match(xml, /^HTTP\/1\.1 200 /, 'an XML body is no 415');
  t.same(json(xml), { method: 'POST', kind: 'buffer', text: Buffer.from('<order>mocha</order>').toString('hex'), post: {} }, 'it is the Buffer that arrived, and POST is empty');

  const bytes = Buffer.from([0, 255, 13, 10, 128, 1]);
  t.same(json(await exchange(site.url, 'PUT /echo/ HTTP/1.1', ['Content-Type: application/octet-stream'], bytes)).text, bytes.toString('hex'), 'binary bytes, unchanged');
  t.same(json(await exchange(site.url, 'POST /echo/ HTTP/1.1', [], 'no type')), { method: 'POST', kind: 'buffer', text: Buffer.from('no type').toString('hex'), post: {} }, 'a body without a Content-Type');
  t.same(json(await exchange(site.url, 'POST /echo/ HTTP/1.1', ['Content-Type: text/plain'], 'plain')).text, 'plain', 'text/plain stays a string');
  t.same(json(await exchange(site.url, 'POST /echo/ HTTP/1.1', [])), { method: 'POST', kind: 'none', text: 'null', post: {} }, 'no body at all');
  // An empty body is no body, whatever its type: a DELETE sent with a Content-Type and nothing else.
  for (const type of ['application/json', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/xml']) {
    const empty = await exchange(site.url, 'DELETE /echo/ HTTP/1.1', [`Content-Type: ${type}`]);
    t.same(json(empty), { method: 'DELETE', kind: 'none', text: 'null', post: {} }, `an empty ${type} body`);
  }
  const unframed = await rawBytes(site.url, Buffer.from('DELETE /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=x\r\n\r\n'));
  t.same(json(unframed), { method: 'DELETE', kind: 'none', text: 'null', post: {} }, 'and one with no Content-Length at all');

  const form = await exchange(site.url, 'POST /echo/ HTTP/1.1', ['Content-Type: Application/X-WWW-Form-Urlencoded; charset=UTF-8'], 'drink=flat+white&size=large');
  t.same(json(form).post, { drink: 'flat white', size: 'large' }, 'a form is request.POST, whatever the case of its type');
  const put = await exchange(site.url, 'PUT /echo/ HTTP/1.1', ['Content-Type: application/x-www-form-urlencoded'], 'drink=mocha&drink=latte');
  t.same(json(put), { method: 'PUT', kind: 'object', text: '{"drink":["mocha","latte"]}', post: {} }, "a PUT's form is its body, and POST stays empty, as in Django");

  // A body the server does not read (a malformed Content-Type) is answered at once, and the
  // connection closed rather than read to the end of a Content-Length the client may never reach.
  const malformed = await exchange(site.url, 'POST /echo/ HTTP/1.1', ['Content-Type: not a type'], '', undefined, 10_000_000_000);
  t.match(malformed, /^HTTP\/1\.1 415 [\s\S]*\r\nconnection: close\r\n/i, 'a 415 that closes the connection');

  // Methods Fastify does not route by itself: the body is read for them too.
  const propfind = await exchange(site.url, 'PROPFIND /echo/ HTTP/1.1', ['Content-Type: application/xml', 'Depth: 1'], '<propfind/>');
  t.same(json(propfind), { method: 'PROPFIND', kind: 'buffer', text: Buffer.from('<propfind/>').toString('hex'), post: {} }, 'PROPFIND with its XML');
  const report = await exchange(site.url, 'REPORT /echo/ HTTP/1.1', ['Content-Type: application/json'], '{"since":"monday"}');
  t.same(json(report), { method: 'REPORT', kind: 'object', text: '{"since":"monday"}', post: {} }, 'REPORT with JSON, parsed');
  t.match(await exchange(site.url, 'LOCK /nowhere/ HTTP/1.1', ['Content-Type: application/xml'], '<lockinfo/>'), /^HTTP\/1\.1 404 /, 'and a 404 where no route matches');
});

t.test('multipart/form-data is refused with a 415 when the view reads it', async (t) => {
  const site = await bootSite(t, writeSite(t, { 'site/settings.ts': settings(), 'site/urls.ts': URLS }));
  const records = sink(t);
  const boundary = 'XyZ';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="drink"\r\n\r\nmocha\r\n--${boundary}--\r\n`;
  const answer = await exchange(site.url, 'POST /echo/ HTTP/1.1', [`Content-Type: multipart/form-data; boundary=${boundary}`], body);
  t.match(answer, /^HTTP\/1\.1 415 Unsupported Media Type\r\n/);
  t.match(answer, /content-type: text\/html; charset=utf-8/, 'the plain page');
  t.notMatch(answer, /multipart|enctype|RH_ERR/, 'which tells a stranger nothing more');
  t.equal(await (await fetch(`${site.url}/ran/`)).text(), '0', 'the view got no body');
  t.same(records.filter((r) => r.name === 'reinhardt.request').map((r) => [r.level, r.msg]), [['WARNING', 'Unsupported Media Type: /echo/']]);

  // With DEBUG on, the developer sees why.
  const debug = await bootSite(t, writeSite(t, { 'site/settings.ts': settings().replace('DEBUG: false', 'DEBUG: true'), 'site/urls.ts': URLS }));
  const page = await exchange(debug.url, 'POST /echo/ HTTP/1.1', [`Content-Type: multipart/form-data; boundary=${boundary}`], body);
  t.match(page, /^HTTP\/1\.1 415 /);
  t.match(page, 'multipart/form-data request bodies are not supported yet', 'the technical page says what to do');
});

t.test('DATA_UPLOAD_MAX_MEMORY_SIZE: a larger body is a 400 logged on reinhardt.security', async (t) => {
  const site = await bootSite(t, writeSite(t, { 'site/settings.ts': settings('DATA_UPLOAD_MAX_MEMORY_SIZE: 100,'), 'site/urls.ts': URLS }));
  const records = sink(t);
  t.equal(json(await exchange(site.url, 'POST /echo/ HTTP/1.1', ['Content-Type: text/plain'], 'x'.repeat(100))).text, 'x'.repeat(100), 'exactly the limit is read');

  const declared = await exchange(site.url, 'POST /echo/ HTTP/1.1', ['Content-Type: text/plain'], 'x'.repeat(101));
  t.match(declared, /^HTTP\/1\.1 400 Bad Request\r\n/, 'one byte more: a 400, not a 413');
  t.notMatch(declared, /DATA_UPLOAD|100 bytes/, 'the page names no setting');
  const chunked = await exchange(site.url, 'POST /echo/ HTTP/1.1', ['Content-Type: application/octet-stream'], '', ['y'.repeat(80), 'y'.repeat(80)]);
  t.match(chunked, /^HTTP\/1\.1 400 /, 'a chunked body that grows past it, too');
  const security = records.filter((r) => r.name === 'reinhardt.security.RequestDataTooBig');
  t.equal(security.length, 2, 'each logged on reinhardt.security.RequestDataTooBig');
  t.equal(security[0]?.level, 'ERROR');
  t.equal(security[0]?.msg, 'The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE (100 bytes).', 'naming the setting and the limit');
  t.equal(await (await fetch(`${site.url}/ran/`)).text(), '1', 'the view got only the body it could read');
});

t.test('a body that cannot be read goes through the middleware, and only a view that reads it fails', async (t) => {
  const site = await bootSite(t, writeSite(t, { 'site/settings.ts': settings('DATA_UPLOAD_MAX_MEMORY_SIZE: 100,'), 'site/urls.ts': URLS }));
  const records = sink(t);
  const multipart = ['Content-Type: multipart/form-data; boundary=b'];
  const cases: [string, string[], string, number][] = [
    ['a multipart body', multipart, '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n', 415],
    ['a body over DATA_UPLOAD_MAX_MEMORY_SIZE', ['Content-Type: text/plain'], 'x'.repeat(101), 400],
    ['malformed JSON', ['Content-Type: application/json'], '{"drink": mocha}', 400],
    ['JSON with a __proto__ key', ['Content-Type: application/json'], '{"__proto__": {"admin": true}}', 400],
    ['a malformed Content-Type', ['Content-Type: text/'], 'tea', 415],
  ];
  for (const [what, headers, body, status] of cases) {
    const echoed = await exchange(site.url, 'POST /echo/ HTTP/1.1', headers, body);
    t.match(echoed, new RegExp(`^HTTP/1\\.1 ${status} `), `${what}: a ${status} for the view that reads it`);
    t.match(echoed, /\r\nx-content-type-options: nosniff\r\n/i, `${what}: with the headers of the middleware`);
    t.match(echoed, /\r\nreferrer-policy: same-origin\r\n/i);
    const ignored = await exchange(site.url, 'PUT /ignores-body/ HTTP/1.1', headers, body);
    t.match(ignored, /^HTTP\/1\.1 200 [\s\S]*\r\n\r\nfine: PUT$/, `${what}: the view that never reads it answers`);
  }
  t.equal(await (await fetch(`${site.url}/ran/`)).text(), '0', 'no view got a body');
  t.same(
    records.filter((r) => r.name.startsWith('reinhardt.security')).map((r) => r.name),
    ['reinhardt.security.RequestDataTooBig'],
    'the body over the limit is logged as suspicious when read, and only then',
  );
  // A chunked body that grows past the limit, to a view that ignores it, still gets its answer.
  const chunked = await exchange(site.url, 'POST /ignores-body/ HTTP/1.1', ['Content-Type: text/plain'], '', ['y'.repeat(80), 'y'.repeat(80)]);
  t.match(chunked, /^HTTP\/1\.1 200 [\s\S]*fine: POST$/, 'a chunked body cut off at the limit');
  // Declared far over the limit and never sent: answered at once, and the connection closed.
  const unsent = await exchange(site.url, 'POST /ignores-body/ HTTP/1.1', ['Content-Type: text/plain'], '', undefined, 10_000_000_000);
  t.match(unsent, /^HTTP\/1\.1 200 [\s\S]*\r\nconnection: close\r\n/i, 'a body left unread closes the connection');

  // The technical page of DEBUG says what was wrong with the body.
  const debug = await bootSite(t, writeSite(t, { 'site/settings.ts': settings().replace('DEBUG: false', 'DEBUG: true'), 'site/urls.ts': URLS }));
  const page = await exchange(debug.url, 'POST /echo/ HTTP/1.1', ['Content-Type: application/json'], '{"drink": mocha}');
  t.match(page, /^HTTP\/1\.1 400 /);
  t.match(page, 'The request body is not JSON the server accepts');
  t.match(page, 'RH_ERR_BAD_REQUEST', "in the framework's words");
});

t.test("the csrf middleware reads a POSTed form's body, as Django's does", async (t) => {
  const site = await bootSite(
    t,
    writeSite(t, { 'site/settings.ts': settings('DATA_UPLOAD_MAX_MEMORY_SIZE: 100,').replace("MIDDLEWARE: ['security']", "MIDDLEWARE: ['security', 'csrf']"), 'site/urls.ts': URLS }),
  );
  // With a CSRF cookie: without one the POST is refused before its body is read, as in Django.
  const cookie = `Cookie: csrftoken=${'k'.repeat(32)}`;
  const post = (type: string, body: string) => exchange(site.url, 'POST /ignores-body/ HTTP/1.1', [cookie, `Content-Type: ${type}`], body);
  t.match(await post('application/x-www-form-urlencoded', `a=${'x'.repeat(100)}`), /^HTTP\/1\.1 400 /, 'a form over the limit: the 400 of its size, not a 403');
  t.match(await post('multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n'), /^HTTP\/1\.1 415 /, 'multipart: the 415');
  t.match(await post('application/json', '{"drink": mocha}'), /^HTTP\/1\.1 403 /, 'malformed JSON is no form: the token is missing, a 403');
  t.match(await post('text/plain', 'x'.repeat(101)), /^HTTP\/1\.1 403 /, 'nor is a large text body');
});

t.test('DATA_UPLOAD_MAX_NUMBER_FIELDS: more fields is a 400 when the view reads them', async (t) => {
  const site = await bootSite(t, writeSite(t, { 'site/settings.ts': settings('DATA_UPLOAD_MAX_NUMBER_FIELDS: 3,'), 'site/urls.ts': URLS }));
  const records = sink(t);
  const post = (body: string) => exchange(site.url, 'POST /echo/ HTTP/1.1', ['Content-Type: application/x-www-form-urlencoded'], body);
  t.same(json(await post('a=1&a=2&b=3')).post, { a: '2', b: '3' }, 'three fields (a repeated name counts twice) are read');
  t.match(await post('a=1&a=2&b=3&c=4'), /^HTTP\/1\.1 400 Bad Request\r\n/, 'four are a 400');
  t.match(await post('a=1&&&'), /^HTTP\/1\.1 400 /, 'empty pieces count in a form too');
  t.same(json(await exchange(site.url, 'PUT /echo/ HTTP/1.1', ['Content-Type: application/x-www-form-urlencoded'], 'a&b&c&d')), { method: 'PUT', kind: 'string', text: 'a&b&c&d', post: {} }, 'a form over the limit is not parsed: its body is the string that arrived');

  t.equal(await (await fetch(`${site.url}/query/?a=1&a=2&a=3`)).text(), '3');
  t.equal((await fetch(`${site.url}/query/?a=1&a=2&a=3&a=4`)).status, 400, 'the query string is held to it too');
  t.equal((await fetch(`${site.url}/query/?a=1&&&`)).status, 400, 'empty pieces count, as the limit bounds the parsing');
  t.equal((await fetch(`${site.url}/ignores-query/?a&b&c&d&e`)).status, 200, 'a view that never reads GET is not refused');

  const security = records.filter((r) => r.name === 'reinhardt.security.TooManyFieldsSent');
  t.same(security.map((r) => [r.level, r.msg]), [
    ['ERROR', 'The form body has more than DATA_UPLOAD_MAX_NUMBER_FIELDS (3) fields.'],
    ['ERROR', 'The form body has more than DATA_UPLOAD_MAX_NUMBER_FIELDS (3) fields.'],
    ['ERROR', 'The query string has more than DATA_UPLOAD_MAX_NUMBER_FIELDS (3) fields.'],
    ['ERROR', 'The query string has more than DATA_UPLOAD_MAX_NUMBER_FIELDS (3) fields.'],
  ]);
});

t.test('a 404 template that reads too many fields: the client is logged, not the template', async (t) => {
  const site = await bootSite(
    t,
    writeSite(t, {
      'site/settings.ts': settings('DATA_UPLOAD_MAX_NUMBER_FIELDS: 3,').replace("DIRS: [join(PROJECT_DIR, 'templates')]", "DIRS: [join(PROJECT_DIR, 'templates')], OPTIONS: { context_processors: ['request'] }"),
      'site/urls.ts': URLS,
      'site/templates/404.html': '<h1>Nothing for <%= it.request.GET.get("q") %></h1>',
    }),
  );
  const records = sink(t);
  t.match(await (await fetch(`${site.url}/nowhere/?q=tea`)).text(), 'Nothing for tea', 'the site\'s page within the limit');
  const over = await fetch(`${site.url}/nowhere/?a&a&a&q=tea`);
  t.equal(over.status, 404, 'over it, still a 404');
  t.match(await over.text(), /<h1>Not Found<\/h1>/, 'with the built-in page');
  t.same(records.filter((r) => r.levelNo >= 40).map((r) => [r.name, r.msg]), [
    ['reinhardt.security.TooManyFieldsSent', 'The query string has more than DATA_UPLOAD_MAX_NUMBER_FIELDS (3) fields.'],
  ], 'one security record, no "Error rendering 404.html" for the admins');
});

t.test('DATA_UPLOAD_MAX_MEMORY_SIZE must be at least 1 or null', async (t) => {
  const dir = writeSite(t, { 'site/settings.ts': settings('DATA_UPLOAD_MAX_MEMORY_SIZE: 0,'), 'site/urls.ts': URLS });
  await t.rejects(bootSite(t, dir), { code: 'RH_ERR_SETTINGS_INVALID', message: /DATA_UPLOAD_MAX_MEMORY_SIZE/ });
});

t.test('QueryDict counts fields only when asked to', async (t) => {
  t.throws(() => new QueryDict('a=1&b=2', { maxFields: 1, source: 'The query string' }), TooManyFieldsSent);
  t.throws(() => new QueryDict({ a: ['1', '2'] }, { maxFields: 1 }), { code: 'RH_ERR_REQUEST_TOO_LARGE', message: 'The data has more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1) fields.' });
  t.equal(new QueryDict('a=1&b=2', { maxFields: 2 }).size, 2, 'the limit itself is allowed');
  t.equal(new QueryDict('a=1&b=2', { maxFields: null }).size, 2, 'null: no limit');
  t.equal(new QueryDict('&'.repeat(5000)).size, 0, 'and without a limit, nothing is counted');
});
