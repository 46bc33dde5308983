/**
 * Table 5-1's static row through real servers: DEBUG serves static files itself; production
 * collects them (hashed names, manifest) and its pages link to the hashed names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { loadSettings } from '../../framework/src/conf/load-settings.js';
import { createApp } from '../../framework/src/http/app.js';
import { installSink } from '../../framework/src/log/logger.js';
import { collectStatic } from '../../framework/src/staticfiles/collect.js';
import { overrideSettings } from '../../framework/src/test/settings.js';
import { SITE, tempDir } from '../helpers.js';
import { rawGet } from '../fixtures/sites.js';

t.test('production coffeehouse pages reference hashed asset URLs after collectstatic', async (t) => {
  process.env.COFFEEHOUSE_CONFIG = join(SITE, 'coffeehouse', 'production.cfg.example');
  t.teardown(() => delete process.env.COFFEEHOUSE_CONFIG);
  installSink(() => undefined);
  t.teardown(() => installSink(undefined));
  const root = tempDir(t, 'coffeestatic-');
  const base = await loadSettings({ module: 'coffeehouse.settings.production', baseDir: SITE, env: {} });
  const settings = overrideSettings(base, { STATIC_ROOT: root, SERVE_STATIC_ROOT: true });

  const out = new PassThrough();
  const result = await collectStatic(settings, { interactive: false, verbosity: 1, stdout: out, stderr: new PassThrough() });
  t.ok(result.modified.length >= 2, 'the stylesheet and the logo were collected');
  t.match(result.summary, /\d+ static files copied to '[^']+', \d+ post-processed\./);
  const manifest = JSON.parse(readFileSync(join(root, 'staticfiles.json'), 'utf8')) as { paths: Record<string, string> };
  const css = manifest.paths['css/site.css'];
  t.match(css, /^css\/site\.[0-9a-f]{12}\.css$/);
  t.ok(existsSync(join(root, `${css}.gz`)), 'a precompressed copy');
  t.match(readFileSync(join(root, css!), 'utf8'), /url\(['"]?[./a-z]*images\/logo\.[0-9a-f]{12}\.svg['"]?\)/, 'url() in the CSS points at the hashed image');

  const app = await createApp(settings);
  t.teardown(() => app.close());
  await app.fastify.listen({ host: '127.0.0.1', port: 0 });
  const address = app.fastify.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const page = await rawGet(url, '/', { Host: 'www.coffeehouse.com', 'X-Forwarded-Proto': 'https' });
  t.equal(page.status, 200);
  t.match(page.body, `href="/static/${css}"`, 'the page links to the hashed stylesheet');
  t.match(page.body, /src="\/static\/images\/logo\.[0-9a-f]{12}\.svg"/);
  const asset = await rawGet(url, `/static/${css}`, { Host: 'www.coffeehouse.com', 'X-Forwarded-Proto': 'https', 'Accept-Encoding': 'gzip' });
  t.equal(asset.status, 200, 'SERVE_STATIC_ROOT serves the collected file');
  t.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  const plain = await rawGet(url, '/static/css/site.css', { Host: 'www.coffeehouse.com', 'X-Forwarded-Proto': 'https' });
  t.equal(plain.headers['cache-control'] === 'public, max-age=31536000, immutable', false, 'unhashed names are not cached forever');
});
