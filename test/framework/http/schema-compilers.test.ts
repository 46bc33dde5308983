/**
 * Fastify's schema compilers are loaded only when a schema needs them: a Reinhardt site never
 * loads them, and a Fastify route with a schema still validates and serializes with them.
 */
import { createRequire } from 'node:module';
import Fastify from 'fastify';
import t from 'tap';
import { lazySchemaController } from '../../../framework/src/http/schema-compilers.js';
import { bootSite, writeSite } from '../../fixtures/sites.js';

const require = createRequire(import.meta.url);
const loaded = (pkg: string) => Object.keys(require.cache).some((file) => file.includes(`/node_modules/${pkg}/`));

t.test('a booted site has not loaded either compiler', async (t) => {
  const dir = writeSite(t, {
    'site/settings.ts': `
import { defineSettings } from 'reinhardt/conf';
export default defineSettings({
  SECRET_KEY: 'schema-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789',
  ALLOWED_HOSTS: ['127.0.0.1'],
  ROOT_URLCONF: 'site.urls',
});
`,
    'site/urls.ts': `
import { path } from 'reinhardt/urls';
import { HttpResponse } from 'reinhardt/http';
export const urlpatterns = [path('', () => new HttpResponse('ok'))];
`,
  });
  const site = await bootSite(t, dir);
  const res = await fetch(site.url);
  t.equal(await res.text(), 'ok');
  t.notOk(loaded('@fastify/ajv-compiler'), 'no ajv compiler');
  t.notOk(loaded('@fastify/fast-json-stringify-compiler'), 'no fast-json-stringify compiler');
});

t.test('a Fastify route with schemas gets the real compilers on first use', async (t) => {
  const app = Fastify({ logger: false, schemaController: lazySchemaController });
  app.post(
    '/order',
    {
      schema: {
        body: { type: 'object', required: ['drink'], properties: { drink: { type: 'string', minLength: 1 } } },
        response: { 200: { type: 'object', properties: { ordered: { type: 'string' } } } },
      },
    },
    async (request) => ({ ordered: (request.body as { drink: string }).drink, secret: 'not in the schema' }),
  );
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  t.ok(loaded('@fastify/ajv-compiler'), 'the validator compiler is loaded once a schema needs it');

  const post = (body: unknown) => fetch(`${address}/order`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const good = await post({ drink: 'espresso' });
  t.equal(good.status, 200);
  t.same(await good.json(), { ordered: 'espresso' }, 'serialized by the response schema (the extra field is dropped)');
  const bad = await post({ drink: '' });
  t.equal(bad.status, 400, 'validated by the body schema');
  t.match(((await bad.json()) as { message: string }).message, /body\/drink must NOT have fewer than 1 characters/);
});
