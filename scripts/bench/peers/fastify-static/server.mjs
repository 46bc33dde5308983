// Bare Fastify + @fastify/static serving one folder at /static/, no logging, default options:
// the baseline for Reinhardt's DEBUG static serving (scripts/bench/static-debug.sh).
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';

const app = Fastify({ logger: false });
await app.register(fastifyStatic, { root: process.env.STATIC_DIR, prefix: '/static/' });
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
