/**
 * Serving over real HTTP (a listening Fastify on 127.0.0.1, raw request paths sent as written):
 * DEBUG serving from the finders' folders, its refusal in production, path traversal in every
 * spelling answered 404, and STATIC_ROOT serving with immutable caching and precompressed copies.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import t from 'tap';
import { collectStatic } from '../../../framework/src/staticfiles/collect.js';
import { MANIFEST_NAME } from '../../../framework/src/staticfiles/manifest-file.js';
import { registerStaticRootServing, registerStaticServing } from '../../../framework/src/staticfiles/serve.js';
import { STATE_FILE } from '../../../framework/src/staticfiles/collect-state.js';
import { Capture, makeProject } from './fixtures/project.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with the path exactly as written (no client-side normalisation of '..' or '%2e'). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listen(t: { teardown(fn: () => unknown): void }, app: FastifyInstance): Promise<number> {
  t.teardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

const TREE = {
  'secret.txt': 'TOP SECRET',
  'static/css/site.css': 'body { color: #333; }',
  'static/css/.hidden.css': 'hidden',
  'static/.env': 'SECRET_KEY=hunter2',
  'static/vendor/other.js': 'other from static/vendor',
  'static/space name.txt': 'spaced',
  'vendor-src/lib.js': 'lib from the prefixed folder',
  'stores/static/stores/stores.css': '.store {}',
  'stores/static/css/site.css': 'the app copy, shadowed',
};

function debugSettings(p: ReturnType<typeof makeProject>, extra: Record<string, unknown> = {}) {
  return p.settings({
    DEBUG: true,
    INSTALLED_APPS: ['reinhardt.contrib.staticfiles', 'stores'],
    STATICFILES_DIRS: [join(p.base, 'static'), ['vendor', join(p.base, 'vendor-src')]],
    ...extra,
  });
}

t.test('DEBUG: files from STATICFILES_DIRS (prefixed too) and app static folders, first match wins', async (t) => {
  const p = makeProject(t, TREE);
  const app = Fastify();
  t.equal(registerStaticServing(app, debugSettings(p)), true);
  const port = await listen(t, app);

  const site = await get(port, '/static/css/site.css');
  t.equal(site.status, 200);
  t.equal(site.body.toString(), 'body { color: #333; }', 'STATICFILES_DIRS before the app');
  t.match(site.headers['content-type'], /^text\/css/);
  t.equal((await get(port, '/static/css/site.css', {}, 'HEAD')).status, 200);
  t.equal((await get(port, '/static/stores/stores.css')).body.toString(), '.store {}');
  t.equal((await get(port, '/static/vendor/lib.js')).body.toString(), 'lib from the prefixed folder');
  t.equal((await get(port, '/static/vendor/other.js')).body.toString(), 'other from static/vendor', 'an unprefixed folder still answers under the prefix');
  t.equal((await get(port, '/static/space%20name.txt')).body.toString(), 'spaced');
  t.equal((await get(port, '/static/css/site.css?v=1')).status, 200, 'a query string is fine');
  t.equal((await get(port, '/static/nope.css')).status, 404);
});

t.test('DEBUG: traversal and hidden files answer 404 in every spelling, never 403, 500 or a redirect', async (t) => {
  const p = makeProject(t, TREE);
  const app = Fastify();
  registerStaticServing(app, debugSettings(p));
  const port = await listen(t, app);
  const attempts = [
    '/static/../secret.txt',
    '/static/css/../../secret.txt',
    '/static/css/../site.css',
    '/static/./css/site.css',
    '/static/%2e%2e/secret.txt',
    '/static/%2E%2E/secret.txt',
    '/static/.%2e/secret.txt',
    '/static/..%2fsecret.txt',
    '/static/css%2f..%2f..%2fsecret.txt',
    '/static/%2fetc%2fpasswd',
    '/static/%252e%252e/secret.txt',
    '/static/%252e%252e%252fsecret.txt',
    '/static/..\\secret.txt',
    '/static/css\\..\\..\\secret.txt',
    '/static/css%5c..%5c..%5csecret.txt',
    '/static/css/site.css%00',
    '/static/css/site.css%00.png',
    '/static/%00',
    '/static//etc/passwd',
    '/static//secret.txt',
    `/static/${join(p.base, 'secret.txt')}`,
    '/static/.env',
    '/static/%2eenv',
    '/static/css/.hidden.css',
    '/static/vendor/../../secret.txt',
    '/static/vendor/%2e%2e/%2e%2e/secret.txt',
    '/static/css/',
    '/static/css',
    '/static/',
  ];
  for (const path of attempts) {
    const res = await get(port, path);
    t.equal(res.status, 404, path);
    t.notMatch(res.body.toString(), /TOP SECRET|hunter2/, `${path} leaks nothing`);
  }
  // Malformed percent-encoding never reaches a route: Fastify's router answers 400 itself.
  for (const path of ['/static/%', '/static/%zz', '/static/css/%c0%af']) {
    const res = await get(port, path);
    t.ok(res.status === 400 || res.status === 404, `${path}: ${res.status}`);
  }
});

t.test('DEBUG false: nothing is served unless --insecure; other refusals', async (t) => {
  const p = makeProject(t, TREE);
  const production = Fastify();
  t.equal(registerStaticServing(production, debugSettings(p, { DEBUG: false })), false);
  const port = await listen(t, production);
  t.equal((await get(port, '/static/css/site.css')).status, 404);

  const insecure = Fastify();
  t.equal(registerStaticServing(insecure, debugSettings(p, { DEBUG: false }), { insecure: true }), true);
  t.equal((await get(await listen(t, insecure), '/static/css/site.css')).status, 200);

  t.equal(registerStaticServing(Fastify(), debugSettings(p, { INSTALLED_APPS: ['stores'] })), false, 'staticfiles app not installed');
  t.equal(registerStaticServing(Fastify(), debugSettings(p, { STATIC_URL: 'https://cdn.example.com/static/' })), false, 'a CDN serves them');
  t.equal(registerStaticServing(Fastify(), debugSettings(p, { STATIC_URL: null })), false);
});

t.test('STATIC_ROOT serving (SERVE_STATIC_ROOT): immutable hashed names, short cache otherwise, precompressed copies', async (t) => {
  const p = makeProject(t, { 'static/css/site.css': `${'body { color: #333; }\n'.repeat(50)}`, 'static/.env': 'SECRET_KEY=hunter2' });
  const settings = p.settings({
    STATICFILES_DIRS: [join(p.base, 'static')],
    STATICFILES_STORAGE: 'manifest',
    SERVE_STATIC_ROOT: true,
  });
  await collectStatic(settings, { stdout: new Capture(), stderr: new Capture(), useDefaultIgnorePatterns: false });
  t.equal(registerStaticRootServing(Fastify(), p.settings({ SERVE_STATIC_ROOT: false })), false, 'off unless SERVE_STATIC_ROOT');
  const app = Fastify();
  t.equal(registerStaticRootServing(app, settings), true);
  const port = await listen(t, app);

  const hashed = (await get(port, `/static/${MANIFEST_NAME}`)).body.toString().match(/"css\/site\.css": "(css\/site\.[0-9a-f]{12}\.css)"/)![1]!;
  const plain = await get(port, `/static/${hashed}`);
  t.equal(plain.status, 200);
  t.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.equal(plain.headers['content-encoding'], undefined);

  const br = await get(port, `/static/${hashed}`, { 'accept-encoding': 'gzip, br' });
  t.equal(br.headers['content-encoding'], 'br');
  t.match(br.headers.vary, /accept-encoding/i);
  t.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.equal(brotliDecompressSync(br.body).toString(), plain.body.toString());
  t.match(br.headers['content-type'], /^text\/css/);

  const gz = await get(port, `/static/${hashed}`, { 'accept-encoding': 'gzip' });
  t.equal(gz.headers['content-encoding'], 'gzip');

  const unhashed = await get(port, '/static/css/site.css');
  t.equal(unhashed.status, 200);
  t.equal(unhashed.headers['cache-control'], 'public, max-age=300');

  for (const path of [`/static/${STATE_FILE}`, '/static/.env', '/static/../secret.txt', '/static/%2e%2e/x', '/static/css/']) {
    t.equal((await get(port, path)).status, 404, `${path} is not served`);
  }
});
