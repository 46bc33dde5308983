/**
 * Build a throwaway site on disk (settings module, urls, views, templates) and boot it with
 * createApp on a real listening port. Each site lives in its own temp folder, removed in teardown.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSettings } from '../../framework/src/conf/load-settings.js';
import { createApp, type AppOptions, type ReinhardtApp } from '../../framework/src/http/app.js';
import { tempDir } from '../helpers.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface Site {
  dir: string;
  app: ReinhardtApp;
  url: string;
}

/** Write `files` (relative path → content) under a new temp folder. */
export function writeSite(t: Teardown, files: Record<string, string>): string {
  const dir = tempDir(t, 'reinhardt-site-');
  // ESM, like every Reinhardt project: without it, .ts files would load as CommonJS.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const [rel, content] of Object.entries(files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

export async function bootSite(t: Teardown, dir: string, module = 'site.settings', options: AppOptions = {}): Promise<Site> {
  const settings = await loadSettings({ module, baseDir: dir, env: {} });
  const app = await createApp(settings, options);
  t.teardown(() => app.close());
  await app.fastify.listen({ host: '127.0.0.1', port: 0 });
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { dir, app, url: `http://127.0.0.1:${port}` };
}

/** A plain HTTP/1.1 request with an arbitrary Host header (fetch will not send a forged Host). */
export async function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { request } = await import('node:http');
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, method: 'GET', headers, setHost: !('Host' in headers) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
