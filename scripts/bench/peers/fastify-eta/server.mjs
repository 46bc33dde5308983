// Bare Fastify + eta: the stack Reinhardt sits on, rendering the same coffeehouse templates and
// data, with @fastify/static for /static/ and no logging. The baseline of every ratio.
import path from 'node:path';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import { render404, renderMenu, SITE } from '../shared/coffeehouse-eta.mjs';

const app = Fastify({ logger: false });
await app.register(fastifyStatic, { root: path.join(SITE, 'static'), prefix: '/static/' });
app.get('/drinks/', async (request, reply) => {
  reply.type('text/html; charset=utf-8');
  return renderMenu();
});
app.get('/hello/', async (request, reply) => {
  reply.type('text/plain; charset=utf-8');
  return 'Hello, world!';
});
app.setNotFoundHandler(async (request, reply) => {
  reply.code(404).type('text/html; charset=utf-8');
  return render404();
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
