/**
 * The DEBUG = true pages over real HTTP: a bare Fastify app on 127.0.0.1 whose routes build an
 * HttpRequest and send the debug responses, fetched with global fetch.
 */
import cookie from '@fastify/cookie';
import Fastify, { type FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import { MASK, registerSecretValue } from '../../../framework/src/conf/mask.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { BadRequest, Http404, TemplateDoesNotExist } from '../../../framework/src/errors.js';
import { acceptRequestBodies } from '../../../framework/src/http/request-bodies.js';
import {
  technical404Response,
  technical500Response,
  technicalHtmlReport,
  technicalTextReport,
} from '../../../framework/src/http/debug/index.js';
import { HttpRequest } from '../../../framework/src/http/request.js';
import { HttpResponse } from '../../../framework/src/http/response.js';
import { sendResponse } from '../../../framework/src/http/send.js';
import { path } from '../../../framework/src/urls/patterns.js';
import { buildResolver, UrlResolver } from '../../../framework/src/urls/resolver.js';

// Characters that change under HTML escaping, URL encoding and JSON escaping.
const KEY = `Rk&<>%'"/x-0123456789-abcdefghij`;
const OLD_KEY = 'old-rotated-key-9876543210';
const REGISTERED = 'registered-secret-value-42';
registerSecretValue(REGISTERED);

const THIS_FILE = fileURLToPath(import.meta.url);
const SOURCE = readFileSync(THIS_FILE, 'utf8').split('\n');
const lineOf = (marker: string) => SOURCE.findIndex((l) => l.includes(marker) && !l.includes('lineOf(')) + 1;

function throwNearKey(): never {
  const leaked = `Rk&<>%'"/x-0123456789-abcdefghij`; // the key, literally, in a source line
  void leaked;
  throw new Error('boom near the key'); // MARK-THROW-NEAR-KEY
}

function throwWithCause(): never {
  try {
    JSON.parse('{not json');
  } catch (err) {
    throw new Error('could not load the menu', { cause: err }); // MARK-THROW-CAUSE
  }
  throw new Error('unreachable');
}

const settings: LoadedSettings = configureSettings(
  {
    DEBUG: true,
    SECRET_KEY: KEY,
    SECRET_KEY_FALLBACKS: [OLD_KEY],
    ROOT_URLCONF: 'test.urls',
    DATABASES: { default: { NAME: 'coffeehouse-db', PASSWORD: 'db-password-123456' } },
    API_TOKENS: ['api-token-aaaaaaa', 'api-token-bbbbbbb'],
    PAYMENT: { provider: 'acme-pay', credentials: [{ api_key: 'nested-api-key-value' }] },
    SITE_BANNER: `Welcome! (key ${KEY})`,
  },
  { module: 'test.settings' },
);

class OopsError extends Error {}

const throwers: Record<string, () => unknown> = {
  near: () => throwNearKey(),
  cause: () => throwWithCause(),
  script: () => {
    throw new Error('<script>alert("x")</script> & more');
  },
  keymsg: () => {
    throw new Error(`signature check failed with ${KEY} and ${OLD_KEY} and ${REGISTERED}`);
  },
  string: () => {
    throw 'a plain string was thrown';
  },
  null: () => {
    throw null;
  },
  object: () => {
    throw { detail: 'visible-detail', password: 'object-password-xyz' };
  },
  circular: () => {
    const o: Record<string, unknown> = { name: 'loop' };
    o.self = o;
    throw o;
  },
  getter: () => {
    const err = new OopsError('unused');
    Object.defineProperty(err, 'message', {
      get() {
        throw new Error('message getter exploded');
      },
    });
    Object.defineProperty(err, 'cause', {
      get() {
        throw new Error('cause getter exploded');
      },
    });
    throw err;
  },
  badstack: () => {
    const err = new Error('odd stack');
    err.stack = 'Error: odd stack\n    at ghost (/nonexistent/dir/ghost.ts:10:5)\n    at node:internal/process/task_queues:95:5\n    at eval (eval at outer (/x.ts:1:2), <anonymous>:1:1)';
    throw err;
  },
  badrequest: () => {
    throw new BadRequest('Malformed header');
  },
  template: () => {
    throw new TemplateDoesNotExist('stores/detail.html', ['/srv/templates/stores/detail.html', '/srv/app/templates/stores/detail.html']);
  },
};

async function storeDetail(): Promise<HttpResponse> {
  throw new Http404('No store with id 7');
}

async function startServer(t: Test) {
  const resolver = await buildResolver(
    { urlpatterns: [path('stores/<int:id>/', storeDetail, { name: 'detail' }), path('about/', () => new HttpResponse('about'))] },
    process.cwd(),
  );
  const empty = new UrlResolver([]);
  const app = Fastify({ logger: false });
  await app.register(cookie);
  acceptRequestBodies(app, settings);
  app.route({
    method: ['GET', 'POST'],
    url: '/raise/:kind',
    handler: async (req: FastifyRequest<{ Params: { kind: string } }>, reply) => {
      const request = new HttpRequest(req, settings);
      try {
        throwers[req.params.kind]!();
        return sendResponse(reply, new HttpResponse('no error'));
      } catch (err) {
        const status = err instanceof BadRequest ? 400 : 500;
        return sendResponse(reply, technical500Response(request, err, settings, status));
      }
    },
  });
  app.get('/stores/:id/', async (req, reply) => {
    const request = new HttpRequest(req, settings);
    request.resolverMatch = { route: 'stores/<int:id>/', name: 'detail', params: { id: 7 } };
    try {
      return sendResponse(reply, await storeDetail());
    } catch (err) {
      return sendResponse(reply, technical404Response(request, err as Http404, resolver, settings));
    }
  });
  app.setNotFoundHandler(async (req, reply) => {
    const request = new HttpRequest(req, settings);
    const which = req.headers['x-resolver'] === 'empty' ? empty : resolver;
    return sendResponse(reply, technical404Response(request, new Http404(), which, settings));
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  return address;
}

/** Every form a leaked secret could take on a page. */
function forms(secret: string): string[] {
  const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const url = encodeURIComponent(secret);
  return [...new Set([secret, url, html(secret), html(url), JSON.stringify(secret).slice(1, -1), html(JSON.stringify(secret))])];
}

function assertNoLeak(t: Test, body: string, secrets: readonly string[], where: string): void {
  for (const s of secrets) for (const f of forms(s)) t.notOk(body.includes(f), `${where}: no ${JSON.stringify(f)}`);
}

t.test('technical 500 page over HTTP', async (t) => {
  const base = await startServer(t);
  const get = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(base + url, init);
    return { res, body: await res.text() };
  };

  t.test('frames point at this .ts file with the right line and its source', async (t) => {
    const { res, body } = await get('/raise/near', { headers: { accept: 'text/plain' } });
    t.equal(res.status, 500);
    t.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    const line = lineOf('MARK-THROW-NEAR-KEY');
    t.ok(line > 0);
    t.match(body, `File "${THIS_FILE}", line ${line}, in throwNearKey`);
    t.match(body, "throw new Error('boom near the key');");
    t.match(body, 'Traceback (most recent call last):');
    t.match(body, /\(library\)/, 'framework and node_modules frames are marked');
    // Most recent call last: the handler's frame comes before throwNearKey's.
    const handlerAt = body.indexOf(`File "${THIS_FILE}", line ${lineOf('throwers[req.params.kind]!()')}, in Object.handler`);
    t.ok(handlerAt > 0 && body.indexOf(`File "${THIS_FILE}", line ${line}, in throwNearKey`) > handlerAt);

    const html = await get('/raise/near');
    t.equal(html.res.headers.get('content-type'), 'text/html; charset=utf-8');
    t.match(html.body, `<ol class="src" start="${line - 5}">`);
    t.match(html.body, /<li class="here">\s*throw new Error\(&#39;boom near the key&#39;\);/);
    t.match(html.body, `const leaked = \`${MASK}\`;`, 'the key in a source line is redacted');
    t.match(html.body, 'class="frame lib"');
    t.notMatch(html.body, /<script/i, 'the page has no script');
    assertNoLeak(t, html.body, [KEY], 'html');
    assertNoLeak(t, body, [KEY], 'text');
  });

  t.test('settings are masked by name, recursively, and by value', async (t) => {
    const { body } = await get('/raise/near');
    t.match(body, `<th>SECRET_KEY</th><td class="v">&quot;${MASK}&quot;</td>`);
    t.match(body, `<th>SECRET_KEY_FALLBACKS</th><td class="v">&quot;${MASK}&quot;</td>`);
    t.match(body, `<th>API_TOKENS</th><td class="v">&quot;${MASK}&quot;</td>`);
    t.match(body, 'coffeehouse-db');
    t.match(body, 'acme-pay');
    t.match(body, 'Using settings module <code>test.settings</code>');
    t.match(body, /<th>SITE_BANNER<\/th><td class="v">&quot;Welcome! \(key \*{20}\)&quot;<\/td>/);
    const names = [...body.matchAll(/<tr><th>([A-Z][A-Z0-9_]+)<\/th><td class="v">/g)].map((m) => m[1]!);
    t.same(names, [...names].sort(), 'settings sorted by name');
    t.ok(names.includes('DEBUG') && names.includes('ALLOWED_HOSTS'), 'all settings, defaults included');
    const version = (JSON.parse(readFileSync(new URL('../../../framework/package.json', import.meta.url), 'utf8')) as { version: string }).version;
    t.match(body, `<tr><th>Reinhardt Version:</th><td>${version}</td></tr>`);
    t.match(body, process.version);
    assertNoLeak(t, body, [KEY, OLD_KEY, 'db-password-123456', 'api-token-aaaaaaa', 'nested-api-key-value'], 'settings');
  });

  t.test('the key in the message, the URL and a header is redacted', async (t) => {
    const encoded = encodeURIComponent(KEY);
    const oddEncoding = encoded.replace(/'/g, '%27').replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    for (const accept of ['text/html', 'application/json']) {
      const { res, body } = await get(`/raise/keymsg?next=${encoded}&other=${oddEncoding}&reg=${REGISTERED}`, {
        headers: { accept, 'x-debug-info': `key is ${KEY}`, referer: `http://127.0.0.1/back?k=${encoded}` },
      });
      t.equal(res.status, 500);
      t.match(body, 'signature check failed with');
      t.match(body, MASK);
      t.match(body, accept === 'text/html' ? `<th>x-debug-info</th><td class="v">key is ${MASK}</td>` : `x-debug-info = "key is ${MASK}"`);
      assertNoLeak(t, body, [KEY, OLD_KEY, REGISTERED], accept);
    }
    // The key as the path itself: in the title, the headline, the URL row.
    const inPath = await get(`/raise/${encoded}`);
    t.equal(inPath.res.status, 500);
    t.match(inPath.body, `<title>TypeError at /raise/${MASK}</title>`);
    assertNoLeak(t, inPath.body, [KEY], 'key in the path');
  });

  t.test('HTML in the message is escaped', async (t) => {
    const { body } = await get('/raise/script');
    t.match(body, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    t.notMatch(body, '<script>');
    t.match(body, '<title>Error at /raise/script</title>');
  });

  t.test('sensitive cookies, headers, query and form fields are masked', async (t) => {
    const { body } = await get('/raise/near?token=query-token-value&page=2', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: 'sessionid=session-cookie-value; csrftoken=csrf-cookie-value; theme=dark-roast',
        authorization: 'Bearer authorization-value-xyz',
        'x-api-key': 'x-api-key-value-xyz',
        'x-csrftoken': 'csrf-header-value-xyz',
        'user-agent': 'debug-page-test-agent',
      },
      body: 'name=Alice+Barista&password=form-password-xyz&csrfmiddlewaretoken=form-csrf-value&card_auth=auth-field-value',
    });
    for (const visible of ['dark-roast', 'Alice Barista', 'debug-page-test-agent', '<th>page</th><td class="v">2</td>']) {
      t.match(body, visible, `${visible} is shown`);
    }
    t.match(body, `token=${MASK}&amp;page=2`, 'the URL masks the sensitive query value');
    for (const name of ['sessionid', 'csrftoken', 'authorization', 'x-api-key', 'x-csrftoken', 'cookie', 'password', 'csrfmiddlewaretoken', 'token']) {
      t.match(body, `<tr><th>${name}</th><td class="v">${MASK}</td></tr>`, `${name} masked`);
    }
    assertNoLeak(
      t,
      body,
      ['session-cookie-value', 'csrf-cookie-value', 'authorization-value-xyz', 'x-api-key-value-xyz', 'csrf-header-value-xyz', 'form-password-xyz', 'form-csrf-value', 'auth-field-value', 'query-token-value'],
      'request',
    );
  });

  t.test('the cause chain is shown, root cause first', async (t) => {
    const { body } = await get('/raise/cause', { headers: { accept: 'application/json' } });
    const sentence = 'was the direct cause of the following exception:';
    t.match(body, `The above exception (`);
    t.match(body, sentence);
    t.ok(body.indexOf('SyntaxError') < body.indexOf(sentence), 'the cause comes first');
    t.ok(body.indexOf(sentence) < body.indexOf(`File "${THIS_FILE}", line ${lineOf('MARK-THROW-CAUSE')}, in throwWithCause`), 'then the outer error');
    t.match(body, 'Exception Value: could not load the menu');
    const html = await get('/raise/cause');
    t.match(html.body, /<p class="cause">The above exception \([^)]*JSON[^)]*\) was the direct cause/);
  });

  t.test('non-Error values and hostile errors still give a page', async (t) => {
    const cases: [string, RegExp | string][] = [
      ['string', 'string (thrown, not an Error)'],
      ['null', 'null (thrown, not an Error)'],
      ['object', 'visible-detail'],
      ['circular', 'circular'],
      ['getter', 'OopsError'],
      ['badstack', '/nonexistent/dir/ghost.ts'],
    ];
    for (const [kind, expected] of cases) {
      for (const accept of ['text/html', 'application/json']) {
        const { res, body } = await get(`/raise/${kind}`, { headers: { accept } });
        t.equal(res.status, 500, `${kind} ${accept}`);
        t.match(body, expected, `${kind} ${accept}`);
        t.notMatch(body, 'could not be built (', `${kind} ${accept}: the full report was built`);
      }
    }
    const str = await get('/raise/string');
    t.match(str.body, 'a plain string was thrown');
    t.match(str.body, 'there is no stack trace');
    const obj = await get('/raise/object');
    t.notMatch(obj.body, 'object-password-xyz');
    const getter = await get('/raise/getter', { headers: { accept: 'text/plain' } });
    t.match(getter.body, 'message cannot be shown');
    const stack = await get('/raise/badstack', { headers: { accept: 'text/plain' } });
    t.match(stack.body, 'File "/nonexistent/dir/ghost.ts", line 10, in ghost');
    t.match(stack.body, 'File "node:internal/process/task_queues", line 95');
  });

  t.test('BadRequest gets status 400; template errors show the postmortem', async (t) => {
    const bad = await get('/raise/badrequest');
    t.equal(bad.res.status, 400);
    t.match(bad.body, 'Malformed header');
    t.match(bad.body, 'RH_ERR_BAD_REQUEST');
    const tpl = await get('/raise/template');
    t.match(tpl.body, 'Template-loader postmortem');
    t.match(tpl.body, '/srv/app/templates/stores/detail.html');
  });
});

t.test('technical 404 page over HTTP', async (t) => {
  const base = await startServer(t);

  t.test('lists the URL patterns tried', async (t) => {
    const keyed = await fetch(`${base}/x/${encodeURIComponent(KEY)}/`);
    assertNoLeak(t, await keyed.text(), [KEY], 'key in a 404 path');

    const res = await fetch(`${base}/nowhere/<b>/`);
    const body = await res.text();
    t.equal(res.status, 404);
    t.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    t.match(body, 'Page not found <small>(404)</small>');
    t.match(body, 'Using the URLconf defined in <code>test.urls</code>, Reinhardt tried these URL patterns, in this order:');
    t.match(body, "<li>stores/&lt;int:id&gt;/ [name=&#39;detail&#39;]</li>\n<li>about/</li>");
    t.match(body, "The current path, <code>nowhere/&lt;b&gt;/</code>, didn't match any of these.");
    t.notMatch(body, '<b>');
    t.match(body, '<td>GET</td>');

    const text = await fetch(`${base}/nowhere/?token=${encodeURIComponent(KEY)}`, { headers: { accept: 'application/json' } });
    const tbody = await text.text();
    t.equal(text.headers.get('content-type'), 'text/plain; charset=utf-8');
    t.match(tbody, "1. stores/<int:id>/ [name='detail']\n2. about/");
    t.match(tbody, `token=${MASK}`);
    assertNoLeak(t, tbody, [KEY], '404 text');
  });

  t.test("shows the message of an Http404 raised by a view", async (t) => {
    const res = await fetch(`${base}/stores/7/`);
    const body = await res.text();
    t.equal(res.status, 404);
    t.match(body, '<pre class="value">No store with id 7</pre>');
    t.match(body, "Raised by:</th><td>the view storeDetail of route &#39;stores/&lt;int:id&gt;/&#39; [name=&#39;detail&#39;]");
    t.notMatch(body, 'tried these URL patterns');
  });

  t.test('the welcome page when there are no URL patterns', async (t) => {
    const res = await fetch(`${base}/`, { headers: { 'x-resolver': 'empty' } });
    const body = await res.text();
    t.equal(res.status, 200);
    t.match(body, /Reinhardt \d+\.\d+\.\d+\S* is up and running/);
    t.match(body, 'DEBUG = true');
    const text = await fetch(`${base}/`, { headers: { 'x-resolver': 'empty', accept: 'application/json' } });
    t.equal(text.headers.get('content-type'), 'text/plain; charset=utf-8');
    t.match(await text.text(), 'is up and running');
    const other = await fetch(`${base}/menu/`, { headers: { 'x-resolver': 'empty' } });
    t.equal(other.status, 404);
    t.match(await other.text(), 'has no URL patterns');
  });
});

t.test('reports for error mail', async (t) => {
  let err: unknown;
  try {
    throwers.keymsg!();
  } catch (e) {
    err = e;
  }
  const text = technicalTextReport(undefined, err, settings);
  t.match(text, 'Error\nsignature check failed with');
  t.match(text, 'Request data not supplied');
  t.match(text, 'Using settings module test.settings');
  t.notMatch(text, "You're seeing this error", 'no DEBUG footer in mail');
  assertNoLeak(t, text, [KEY, OLD_KEY, REGISTERED], 'text report');
  const html = technicalHtmlReport(undefined, err, settings);
  t.match(html, '<!doctype html>');
  t.match(html, 'Request data not supplied');
  t.notMatch(html, 'Copy-and-paste view');
  assertNoLeak(t, html, [KEY, OLD_KEY, REGISTERED], 'html report');
  // Settings built in code have no module name; nothing fails.
  const bare = configureSettings({ DEBUG: true, SECRET_KEY: 'another-key-for-bare-settings' });
  t.match(technicalTextReport(undefined, new Error('x'), bare), 'Using settings module (none: settings built in code)');
});

t.test('the pages never throw, whatever they are given', async (t) => {
  // Settings whose every read throws, and a request object with no Fastify request behind it.
  const hostileSettings = new Proxy({} as LoadedSettings, {
    get() {
      throw new Error('settings read exploded');
    },
    ownKeys() {
      throw new Error('settings keys exploded');
    },
  });
  const brokenRequest = Object.create(HttpRequest.prototype) as HttpRequest;
  const err = new Error(`still reported ${KEY}`);

  const text = technicalTextReport(brokenRequest, err, hostileSettings);
  t.match(text, 'still reported');
  t.match(text, 'The settings could not be listed');
  t.notMatch(text, KEY, 'the key is still redacted (registered earlier)');
  t.match(technicalHtmlReport(brokenRequest, null, hostileSettings), 'null (thrown, not an Error)');

  const r500 = technical500Response(brokenRequest, err, settings, 500);
  t.equal(r500.status, 500);
  t.equal(r500.get('content-type'), 'text/html; charset=utf-8');
  t.match(r500.text(), 'still reported');
  t.notMatch(r500.text(), KEY);

  const resolver = new UrlResolver([]);
  const r404 = technical404Response(brokenRequest, undefined, resolver, hostileSettings);
  t.ok(r404.status === 404 || r404.status === 200);
  t.ok(r404.text().length > 0);
  const r404b = technical404Response(brokenRequest, new Http404('gone'), resolver, settings);
  t.equal(r404b.status, 404);
  t.match(r404b.text(), 'gone');
});
