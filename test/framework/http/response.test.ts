/**
 * HttpResponse headers: case-insensitive names, sent lowercase, and header splitting refused
 * (in a unit, and through a listening site where a view tries it).
 */
import t from 'tap';
import { connect } from 'node:net';
import { headerList, HttpResponse, HttpResponseRedirect, JsonResponse } from '../../../framework/src/http/response.js';
import { installSink, type LogRecord } from '../../../framework/src/log/logger.js';
import { bootSite, rawExchange, writeSite } from '../../fixtures/sites.js';

t.test('names are case-insensitive and kept lowercase', async (t) => {
  const r = new HttpResponse('x', { headers: { 'X-Drink-Of-The-Day': 'espresso' } });
  t.equal(r.get('x-drink-of-the-day'), 'espresso');
  t.equal(r.get('X-DRINK-OF-THE-DAY'), 'espresso');
  t.ok(r.has('Content-Type'), 'Content-Type is set by default');
  r.set('CONTENT-TYPE', 'text/plain');
  t.same([...r.headers()], [
    ['content-type', 'text/plain'],
    ['x-drink-of-the-day', 'espresso'],
  ], 'one entry per name, lowercase, in the order first set');
  r.delete('X-Drink-Of-The-Day');
  t.notOk(r.has('x-drink-of-the-day'));
});

t.test('headers as a Map kept them: through a Proxy, on a copy, while iterating, from a subclass', async (t) => {
  const r = new HttpResponse('x').set('X-A', '1').set('X-B', '2').set('X-C', '3');
  const proxied = new Proxy(r, {});
  t.equal(proxied.get('x-a'), '1', 'a Proxy of a response reads its headers');
  proxied.set('X-D', '4');
  t.equal(r.get('x-d'), '4', 'and sets them');
  const copy = Object.assign(Object.create(HttpResponse.prototype) as HttpResponse, r);
  t.equal(copy.get('content-type'), 'text/html; charset=utf-8', 'a copy made with Object.create and Object.assign');
  for (const [name] of r.headers()) if (name.startsWith('x-')) r.delete(name);
  t.same([...r.headers()], [['content-type', 'text/html; charset=utf-8']], 'deleting while iterating skips none');
  class Twice extends HttpResponse {
    override *headers(): IterableIterator<[string, string]> {
      yield ['x-a', '1'];
      yield ['content-type', 'text/plain'];
      yield ['x-a', '2'];
    }
  }
  t.same(headerList(new Twice()), ['x-a', '2', 'content-type', 'text/plain'], "a subclass's name given twice is sent once, its last value");
});

t.test('setDefault sets a header only when the response has none by that name', async (t) => {
  const r = new HttpResponse('x').set('X-Frame-Options', 'SAMEORIGIN');
  r.setDefault('x-frame-options', 'DENY').setDefault('Referrer-Policy', 'same-origin');
  t.equal(r.get('X-Frame-Options'), 'SAMEORIGIN', "the view's own value stays");
  t.equal(r.get('referrer-policy'), 'same-origin', 'a missing one is set');
  t.throws(() => r.setDefault('X-New', 'a\nb'), /contains a newline/, 'a value to set is checked');
  t.doesNotThrow(() => r.setDefault('X-Frame-Options', 'a\nb'), 'one that is not set is not');
  t.throws(() => r.setDefault('Connection', 'keep-alive'), /may only be 'close'/);
});

t.test('a newline in a name or a value is refused when set, never when looked up', async (t) => {
  const r = new HttpResponse();
  t.throws(() => r.set('X-Note', 'a\r\nSet-Cookie: evil=1'), /Header "X-Note" contains a newline; refusing to send it\./);
  t.throws(() => r.set('X-Note\nSet-Cookie', 'x'), /contains a newline/);
  // A refused name is never remembered as a good one: refused again the second time.
  t.throws(() => r.set('X-Note\nSet-Cookie', 'x'), /contains a newline/);
  t.equal(r.get('X-Note\nSet-Cookie'), undefined, 'looking one up just finds nothing');
  t.notOk(r.has('X-Note\nSet-Cookie'));
  t.notOk(r.has('x-note'), 'nothing was stored');
});

t.test("a name that is not an HTTP token, or a value Node would refuse, is refused when set", async (t) => {
  const r = new HttpResponse();
  t.throws(() => r.set('X Note', 'x'), { code: 'ERR_INVALID_HTTP_TOKEN', message: /X Note/ }, 'a space in the name');
  t.throws(() => r.set('X-Note:', 'x'), { code: 'ERR_INVALID_HTTP_TOKEN' }, 'a colon in the name');
  t.throws(() => r.set('X-Note', 'ding\x07'), { code: 'ERR_INVALID_CHAR', message: /X-Note/ }, 'a control character in the value');
  t.throws(() => r.set('X-Note', undefined as unknown as string), { code: 'ERR_HTTP_INVALID_HEADER_VALUE' }, 'no value at all');
  t.throws(() => new HttpResponse('x', { headers: { 'Bad Name': 'x' } }), { code: 'ERR_INVALID_HTTP_TOKEN' }, 'also in the constructor');
  t.notOk(r.has('x-note'), 'nothing was stored');
  t.equal(r.get('X Note'), undefined, 'looking a bad name up just finds nothing');
  t.equal(r.set('X-Note', 'café').get('x-note'), 'café', 'Latin-1 text is a valid value');
});

t.test('headers about the connection and the framing are the server\'s', async (t) => {
  const r = new HttpResponse();
  for (const name of ['Keep-Alive', 'Transfer-Encoding', 'TE', 'Trailer']) {
    t.throws(() => r.set(name, 'x'), { message: `Header "${name}" belongs to the connection, which the server manages; a response cannot set it.` }, name);
  }
  t.throws(() => r.set('Connection', 'keep-alive'), { message: `Header "Connection" may only be 'close' (got "keep-alive"): the server manages the connection.` });
  t.notOk(r.has('connection'), 'nothing was stored');
  t.equal(r.set('Connection', 'close').get('connection'), 'close', 'a view may end the connection');
  t.equal(r.set('Upgrade', 'h2c').get('upgrade'), 'h2c', 'Upgrade is for a 426 to send');
  t.equal(r.set('Proxy-Authenticate', 'Basic').get('proxy-authenticate'), 'Basic', 'and Proxy-Authenticate for a 407');
});

t.test('cookies are checked when they are queued', async (t) => {
  const r = new HttpResponse();
  t.throws(() => r.setCookie('a b', 'v'), { message: /^Cookie "a b": the name may only have letters/ }, 'a space in the name');
  t.throws(() => r.setSignedCookie('a;b', 'v'), { message: /^Cookie "a;b": the name/ }, 'signed cookies too');
  t.throws(() => r.deleteCookie('a b'), { message: /^Cookie "a b": the name/ }, 'and deleted ones');
  t.throws(() => r.setCookie('c', 'v', { domain: 'a;b' }), { message: 'Cookie "c": domain "a;b" is not a host name.' });
  t.throws(() => r.setCookie('c', 'v', { path: '/a;b' }), { message: /^Cookie "c": path "\/a;b" has a control character/ });
  for (const maxAge of [Number.NaN, Infinity]) t.throws(() => r.setCookie('c', 'v', { maxAge }), { message: /^Cookie "c": maxAge must be a number of seconds/ }, `maxAge ${maxAge}`);
  t.throws(() => r.setCookie('c', 'v', { expires: new Date('nope') }), { message: 'Cookie "c": expires must be a valid Date from 1601 to 9999.' });
  t.throws(() => r.setCookie('c', 'v', { expires: 'tomorrow' as unknown as Date }), { message: 'Cookie "c": expires must be a valid Date from 1601 to 9999.' });
  t.throws(() => r.setCookie('c', 'v', { sameSite: 'sideways' as 'Lax' }), { message: /^Cookie "c": sameSite must be 'Lax', 'Strict', 'None' or false/ });
  t.throws(() => r.setCookie('c', 'v', { expires: new Date(8.64e15) }), { message: 'Cookie "c": expires must be a valid Date from 1601 to 9999.' }, 'a year past 9999');
  t.throws(() => r.setCookie('c', 'v', { maxAge: 2 ** 60 }), { message: /^Cookie "c": maxAge must be a number of seconds/ }, 'a maxAge past 2^53');
  t.throws(() => r.setCookie('c', 'v', { domain: `${'a'.repeat(64)}.example.com` }), { message: /is not a host name/ }, 'a domain label over 63 characters');
  t.equal(r.cookies.length, 0, 'none was queued');
  r.setCookie('flavour:v2', 'mocha', { maxAge: 1.9, sameSite: 'lax' as 'Lax', domain: '.example.com' });
  t.equal(r.cookie('flavour:v2')?.options.maxAge, 1, "a fraction of a second is cut, as Django's int(max_age)");
});

t.test('a JsonResponse of something JSON cannot hold is an error, not an empty body', async (t) => {
  t.equal(new JsonResponse(null, { safe: false }).text(), 'null');
  t.equal(new JsonResponse([1, 'a'], { safe: false }).text(), '[1,"a"]');
  t.throws(() => new JsonResponse(undefined, { safe: false }), { message: 'Object of type undefined is not JSON serializable' });
  t.throws(() => new JsonResponse(() => 1, { safe: false }), { message: 'Object of type function is not JSON serializable' });
});

t.test("redirects encode like Django's iri_to_uri", async (t) => {
  t.equal(new HttpResponseRedirect('/café/?q=a b').url, '/caf%C3%A9/?q=a%20b');
  t.equal(new HttpResponseRedirect('/caf%C3%A9/?x=%E9').url, '/caf%C3%A9/?x=%E9', 'existing escapes stay, even one that is not UTF-8');
  t.equal(new HttpResponseRedirect('/a^b{c}|d\\e`f"g<h>').url, '/a%5Eb%7Bc%7D%7Cd%5Ce%60f%22g%3Ch%3E');
  t.equal(new HttpResponseRedirect('http://x/?q=%FF&r=é#frag').url, 'http://x/?q=%FF&r=%C3%A9#frag');
});

/** Send `text` over a raw socket and hang up 100 ms later, without waiting for an answer. */
function sendAndHangUp(url: string, text: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(text);
      setTimeout(() => socket.destroy(), 100);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => {});
  });
}

/** A form POST that announces 50 bytes, sends 3 and hangs up. */
function cutShort(url: string, path: string): Promise<void> {
  return sendAndHangUp(url, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\na=1`);
}

/** GET over a raw socket: the exact bytes of the response head. */
async function rawHead(url: string, path: string): Promise<string> {
  const answer = await rawExchange(url, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  return answer.split('\r\n\r\n')[0]!;
}

/** A production settings module for the listening sites below. */
function siteSettings(middleware: readonly string[]): string {
  return `
import { defineSettings } from 'reinhardt/conf';
export default defineSettings({
  SECRET_KEY: 'response-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789',
  DEBUG: false,
  ALLOWED_HOSTS: ['127.0.0.1'],
  ROOT_URLCONF: 'site.urls',
  MIDDLEWARE: ${JSON.stringify(middleware)},
});
`;
}

t.test('through a listening site', async (t) => {
  const dir = writeSite(t, {
    'site/settings.ts': siteSettings(['security', 'x-frame-options']),
    'site/urls.ts': `
import { path } from 'reinhardt/urls';
import { HttpResponse } from 'reinhardt/http';
export const urlpatterns = [
  path('menu/', () => new HttpResponse('menu', { contentType: 'text/plain', headers: { 'X-Drink-Of-The-Day': 'espresso' } })),
  path('split/', (request) => new HttpResponse('split').set('X-Echo', request.GET.get('v') ?? '')),
];
`,
  });
  const site = await bootSite(t, dir);
  const head = await rawHead(site.url, '/menu/');
  t.match(head, /^HTTP\/1\.1 200 OK\r\n/);
  t.match(head, /\r\ncontent-type: text\/plain\r\n/);
  t.match(head, /\r\nx-drink-of-the-day: espresso\r\n/, "the site's header, lowercase");
  t.match(head, /\r\nx-frame-options: DENY\r\n/, 'and the middleware headers');

  const split = await rawHead(site.url, '/split/?v=a%0D%0ASet-Cookie:%20evil%3D1');
  t.match(split, /^HTTP\/1\.1 500 /, 'a value with CR/LF from the request is a server error');
  t.notMatch(split, /set-cookie|evil/i, 'and nothing of it reaches the client');
});

t.test('responses written past Fastify reply (send.ts) and those that are not', async (t) => {
  const dir = writeSite(t, {
    'site/settings.ts': siteSettings(['security']),
    'site/urls.ts': `
import { path } from 'reinhardt/urls';
import { HttpResponse } from 'reinhardt/http';
// A subclass that slips a bad header past set(): the hijacked path's last resort answers.
class BadHeaders extends HttpResponse {
  headers() {
    return ([['x bad', 'v']] as [string, string][])[Symbol.iterator]();
  }
}
export const urlpatterns = [
  path('menu/', () => new HttpResponse('café menu', { contentType: 'text/plain; charset=utf-8' })),
  path('length/', () => new HttpResponse('abc').set('Content-Length', '999')),
  path('empty/', () => new HttpResponse('', { status: 204 })),
  path('cookie/', () => new HttpResponse('set').setCookie('flavour', 'mocha')),
  path('bell/', (request) => new HttpResponse('bell').set('X-Echo', request.GET.get('v') ?? '')),
  path('name/', (request) => new HttpResponse('name').set(request.GET.get('n') ?? 'X-Name', 'x')),
  path('status/', () => Object.assign(new HttpResponse('status'), { status: 1000 })),
  path('informational/', () => Object.assign(new HttpResponse('status'), { status: 101 })),
  path('hop/', (request) => new HttpResponse('hop').set(request.GET.get('n') ?? 'X-Hop', 'Expires')),
  path('badcookie/', (request) => new HttpResponse('x').set('X-Internal-Token', 'abc123').setCookie(request.GET.get('n') ?? 'ok', 'v')),
  path('thenable/', () => ({ then(resolve: (r: HttpResponse) => void) { resolve(new HttpResponse('thenable')); } }) as unknown as HttpResponse),
  path('echo/', (request) => new HttpResponse(request.path + '|' + request.getFullPath() + '|' + request.GET.get('a'))),
  path('backend/', async () => {
    await new Promise((r) => setTimeout(r, 300));
    throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  }),
  path('lastresort/', () => new BadHeaders('x')),
];
`,
  });
  const site = await bootSite(t, dir);
  const menu = await rawExchange(site.url, 'GET /menu/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  t.match(menu, /\r\ncontent-length: 10\r\n/, 'the length in bytes of a UTF-8 body');
  t.match(menu, /\r\n\r\ncafé menu$/, 'and the body');
  t.match(menu, /\r\nx-content-type-options: nosniff\r\n/, 'with the middleware headers');

  const length = await rawExchange(site.url, 'GET /length/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  t.match(length, /\r\ncontent-length: 3\r\n/, "the length of what is sent, not the view's");
  t.notMatch(length, /999/);

  const head = await rawExchange(site.url, 'HEAD /menu/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  t.match(head, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\ncontent-length: 10\r\n[\s\S]*\r\n\r\n$/, 'HEAD: the length, no body');

  const empty = await rawExchange(site.url, 'GET /empty/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  t.match(empty, /^HTTP\/1\.1 204 No Content\r\n/);
  t.notMatch(empty, /content-length/i, 'a 204 has no length');

  const cookie = await fetch(`${site.url}/cookie/`);
  t.match(cookie.headers.get('set-cookie'), /^flavour=mocha; Path=\//, 'cookies still go out');
  t.equal(await cookie.text(), 'set');

  // A control character Node refuses in a header value: a server error, and the site goes on.
  const bell = await fetch(`${site.url}/bell/?v=ding%07`);
  t.equal(bell.status, 500);
  t.equal((await fetch(`${site.url}/menu/`)).status, 200, 'the next request is answered');

  // Nothing the hijacked path writes can be refused by writeHead, which would leave the client
  // waiting for an answer that never comes: a bad name and a bad status are server errors too.
  const answer = (path: string) => fetch(`${site.url}${path}`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status);
  t.equal(await answer('/name/?n=X%20Name'), 500, 'a name that is not an HTTP token');
  t.equal(await answer('/name/'), 200, 'the same view with a good name');
  t.equal(await answer('/status/'), 500, 'a status outside 100-599');
  t.equal(await answer('/informational/'), 500, 'a 1xx, which is no final answer');
  t.equal(await answer('/hop/?n=Trailer'), 500, 'a Trailer header, which Node refuses without chunked encoding');
  t.equal(await answer('/hop/?n=Transfer-Encoding'), 500, 'a Transfer-Encoding next to the Content-Length');
  t.equal(await answer('/hop/'), 200, 'the same view with an ordinary header');
  t.equal((await fetch(`${site.url}/menu/`)).status, 200, 'and the site goes on');

  // A bad cookie is the site's own 500 page, with nothing of the failed response.
  const bad = await fetch(`${site.url}/badcookie/?n=a%20b`, { signal: AbortSignal.timeout(5000) });
  t.equal(bad.status, 500);
  t.match(bad.headers.get('content-type'), /^text\/html/, 'the plain 500 page, not a JSON error');
  t.equal(bad.headers.get('x-internal-token'), null, "none of the failed response's headers");
  t.notMatch(await bad.text(), /cookie|a b/i, 'nor the reason');
  t.equal(await answer('/badcookie/'), 200);

  t.equal(await (await fetch(`${site.url}/thenable/`)).text(), 'thenable', 'a view may return any thenable');

  // The absolute form of a request target is the same request as its origin form.
  const absolute = await rawExchange(site.url, `GET ${site.url}/echo/?a=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  t.match(absolute, /^HTTP\/1\.1 200 /);
  t.match(absolute, /\r\n\r\n\/echo\/\|\/echo\/\?a=1\|1$/, 'path, full path and query as for GET /echo/?a=1');

  // What Node's parser cannot read gets the bare built-in pages, not Fastify's JSON.
  const garbage = await rawExchange(site.url, 'NOT A REQUEST\r\n\r\n');
  t.match(garbage, /^HTTP\/1\.1 400 Bad Request\r\n/, 'a malformed request line');
  t.match(garbage, /\r\ncontent-type: text\/html; charset=utf-8\r\n[\s\S]*<h1>Bad Request \(400\)<\/h1>/i);
  const huge = await rawExchange(site.url, `GET /menu/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`);
  t.match(huge, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n[\s\S]*<h1>Request Header Fields Too Large \(431\)<\/h1>/, 'headers over the limit');
  t.notMatch(garbage + huge, /statusCode|NOT A REQUEST|aaaa/, 'nothing of the request, no JSON');

  // Any method the HTTP layer accepts reaches the view, as in Django (which answers 405 only where a view says so).
  const trace = await rawExchange(site.url, 'TRACE /menu/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  t.match(trace, /^HTTP\/1\.1 200 [\s\S]*\r\n\r\ncafé menu$/, 'TRACE on a route');
  const propfind = await rawExchange(site.url, 'PROPFIND /echo/?a=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  t.match(propfind, /\r\n\r\n\/echo\/\|\/echo\/\?a=2\|2$/, 'PROPFIND on a route with its query');
  t.match(await rawExchange(site.url, 'PURGE /nope/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 404 /, 'and a 404 where no route matches');

  // A client that stops sending its body half-way: a 400 and a warning, not a server error that
  // would mail the admins.
  const records: LogRecord[] = [];
  installSink((r) => records.push(r));
  t.teardown(() => installSink(undefined));
  for (const path of ['/nope/', '/menu/']) await cutShort(site.url, path);
  const deadline = Date.now() + 5000;
  while (records.filter((r) => r.msg.startsWith('Bad Request:')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.same(records.filter((r) => r.name === 'reinhardt.request').map((r) => [r.level, r.msg]), [
    ['WARNING', 'Bad Request: /nope/'],
    ['WARNING', 'Bad Request: /menu/'],
  ], 'one warning each, for a missing URL and a real one');
  t.notOk(records.some((r) => r.levelNo >= 40), 'nothing at ERROR');
  t.equal((await fetch(`${site.url}/menu/`)).status, 200, 'and the site goes on');

  // The same error code from a view, with a client that hung up after its whole request: still a
  // server error.
  records.length = 0;
  await sendAndHangUp(site.url, 'GET /backend/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  const until = Date.now() + 5000;
  while (!records.some((r) => r.levelNo >= 40) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  t.same(records.filter((r) => r.name === 'reinhardt.request').map((r) => [r.level, r.msg]), [['ERROR', 'Internal Server Error: /backend/']], 'a backend failure is never taken for a cut-short body');

  // A target of another scheme is refused: the router would not reduce it to the same path.
  t.match(await rawExchange(site.url, 'GET ftp://127.0.0.1/echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 400 /, 'ftp:// is a 400');
  t.match(await rawExchange(site.url, 'GET HTTPS://127.0.0.1/echo/?a=3 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'), /\r\n\r\n\/echo\/\|\/echo\/\?a=3\|3$/, 'HTTPS:// in capitals is reduced');

  // The last resort: a 500 with its own status line and the plain page, and the error logged.
  const last = await rawExchange(site.url, 'GET /lastresort/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  t.match(last, /^HTTP\/1\.1 500 Internal Server Error\r\n[\s\S]*<h1>Server Error \(500\)<\/h1>/);
});
