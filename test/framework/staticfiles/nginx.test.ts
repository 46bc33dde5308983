/**
 * The nginx configuration, checked by Debian's nginx itself: `nginx -t` accepts it, and a real
 * nginx on loopback serves the collected files (hashed names immutable, .gz copies, hidden files
 * refused) and proxies everything else to a real Fastify app with Host and X-Forwarded-* set.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { request } from 'node:http';
import { delimiter, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import t from 'tap';
import { ImproperlyConfigured } from '../../../framework/src/errors.js';
import { collectStatic } from '../../../framework/src/staticfiles/collect.js';
import { STATE_FILE } from '../../../framework/src/staticfiles/collect-state.js';
import { readManifest } from '../../../framework/src/staticfiles/manifest-file.js';
import { renderNginxConfig } from '../../../framework/src/staticfiles/nginx.js';
import { Capture, makeProject } from './fixtures/project.js';

/** nginx on PATH (or in the sbin folders a non-root PATH may lack). */
function findNginx(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      accessSync(join(dir, 'nginx'), constants.X_OK);
      return join(dir, 'nginx');
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** A whole nginx.conf around the server block, with every path inside `dir` so no root is needed. */
function wrap(dir: string, server: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `    ${k}_temp_path ${join(dir, `${k}-temp`)};`).join('\n');
  return [
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'master_process off;',
    'daemon off;',
    'events {}',
    'http {',
    '    include /etc/nginx/mime.types;',
    '    default_type application/octet-stream;',
    '    access_log off;',
    temp,
    server,
    '}',
    '',
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.end();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}: ${log()}`);
}

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const nginx = findNginx();

t.test('nginx is installed', async (t) => {
  t.ok(nginx, 'nginx is on PATH (if this fails: run scripts/setup-system.sh as root to install the Debian packages the tests use)');
});

t.test('the rendered server block', async (t) => {
  const p = makeProject(t);
  const settings = p.settings({ ALLOWED_HOSTS: ['.coffeehouse.com', '*', 'localhost'] });
  const text = renderNginxConfig(settings, { serverName: undefined });
  t.match(text, 'server_name .coffeehouse.com _ localhost;');
  t.match(text, 'listen 80;');
  t.match(text, `location ^~ "/static/" {\n        alias "${p.root}/";\n        gzip_static on;`);
  t.match(text, 'expires max;\n            add_header Cache-Control "public, immutable";');
  t.match(text, 'proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;');
  t.match(renderNginxConfig(p.settings({ STATIC_URL: 'https://cdn.example.com/assets/' })), 'location ^~ "/assets/" {', 'a CDN URL: its path, for the origin');
  t.match(renderNginxConfig(p.settings({ ALLOWED_HOSTS: [] })), 'server_name _;');
  t.throws(() => renderNginxConfig(p.settings({ STATIC_ROOT: join(p.base, 'we$ird') })), { constructor: ImproperlyConfigured, message: /STATIC_ROOT .* contains a character nginx would misread/ });
  t.throws(() => renderNginxConfig(p.settings({ STATIC_ROOT: null })), { message: /STATIC_ROOT setting to a filesystem path/ });
  t.throws(() => renderNginxConfig(settings, { upstream: 'http://x' }), { message: /is not HOST:PORT/ });
  t.throws(() => renderNginxConfig(settings, { listen: '80; include /etc/passwd' }), { message: /listen value/ });
});

t.test('nginx -t accepts it, and a real nginx serves STATIC_ROOT and proxies the rest', async (t) => {
  if (!nginx) {
    t.fail('nginx is not on PATH: run scripts/setup-system.sh (as root)');
    return;
  }
  const p = makeProject(t, {
    'static/css/site.css': `${'body { color: #333; background: url(../img/bg.png); }\n'.repeat(40)}`,
    'static/img/bg.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
  });
  const settings = p.settings({ STATICFILES_DIRS: [join(p.base, 'static')], STATICFILES_STORAGE: 'manifest' });
  await collectStatic(settings, { stdout: new Capture(), stderr: new Capture() });
  const paths = readManifest(p.root)!.paths;

  const upstream = Fastify();
  upstream.get('/*', async (req) => ({ url: req.url, host: req.headers.host, xff: req.headers['x-forwarded-for'], proto: req.headers['x-forwarded-proto'] }));
  t.teardown(() => upstream.close());
  await upstream.listen({ host: '127.0.0.1', port: 0 });
  const upstreamPort = (upstream.server.address() as AddressInfo).port;

  const port = await freePort();
  const dir = join(p.base, 'nginx');
  mkdirSync(dir);
  chmodSync(p.base, 0o755);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, wrap(dir, renderNginxConfig(settings, { upstream: `127.0.0.1:${upstreamPort}`, listen: `127.0.0.1:${port}`, serverName: 'coffeehouse.test' })));

  const check = spawnSync(nginx, ['-t', '-c', conf, '-p', dir], { encoding: 'utf8' });
  t.equal(check.status, 0, `nginx -t: ${check.stderr}`);
  t.match(check.stderr, 'syntax is ok');

  let output = '';
  const child = spawn(nginx, ['-c', conf, '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  await waitForPort(port, child, () => output);

  const hashedCss = await get(port, `/static/${paths['css/site.css']}`, { host: 'coffeehouse.test' });
  t.equal(hashedCss.status, 200);
  t.match(hashedCss.headers['content-type'], /^text\/css/);
  t.match(String(hashedCss.headers['cache-control']), 'public, immutable');
  t.match(String(hashedCss.headers['cache-control']), 'max-age=315360000');

  const gz = await get(port, `/static/${paths['css/site.css']}`, { host: 'coffeehouse.test', 'accept-encoding': 'gzip' });
  t.equal(gz.headers['content-encoding'], 'gzip', 'gzip_static sends the .gz copy');
  t.same(gunzipSync(gz.body), hashedCss.body);

  const plain = await get(port, '/static/css/site.css', { host: 'coffeehouse.test' });
  t.equal(plain.status, 200);
  t.equal(plain.headers['cache-control'], 'max-age=300', 'unhashed names: a short expiry');

  t.equal((await get(port, `/static/${STATE_FILE}`, { host: 'coffeehouse.test' })).status, 404, 'hidden files are not served');
  t.equal((await get(port, '/static/nope.css', { host: 'coffeehouse.test' })).status, 404, 'a missing static file is nginx\'s 404, not the app\'s');

  const proxied = await get(port, '/stores/?q=1', { host: 'coffeehouse.test' });
  t.equal(proxied.status, 200);
  t.same(JSON.parse(proxied.body.toString()), { url: '/stores/?q=1', host: 'coffeehouse.test', xff: '127.0.0.1', proto: 'http' });
});
