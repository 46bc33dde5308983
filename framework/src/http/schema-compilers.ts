/**
 * Fastify's JSON-schema compilers (ajv for validation, fast-json-stringify for serialization),
 * loaded only when a route with a schema asks for them. Reinhardt's own routes have no schema;
 * Fastify otherwise requires both compilers in its constructor, which was about 65 ms of every
 * start here (measured: Fastify construction and ready() 90 ms with them, 25 ms without). A
 * route added on app.fastify with a schema still gets the very same compilers, on first use.
 *
 * One difference from Fastify's defaults: with a compiler factory given, Fastify leaves the
 * property names of a `headers` schema as written instead of lowercasing them, so such a schema
 * must name headers in lowercase (as Node delivers them).
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>;
type Factories = NonNullable<SchemaController['compilersFactory']>;
/** Both factories as Fastify calls them: (external schemas, compiler options) => compiler. */
type Factory = (externalSchemas: unknown, options: unknown) => unknown;

// Resolved from Fastify's own folder: the compilers are Fastify's dependencies, not ours.
const require = createRequire(createRequire(import.meta.url).resolve('fastify'));

/** The factory of a compiler package, required the first time a schema needs it. */
function onFirstUse(pkg: string): Factory {
  let factory: Factory | undefined;
  return (externalSchemas, options) => {
    factory ??= (require(pkg) as () => Factory)();
    return factory(externalSchemas, options);
  };
}

export const lazySchemaController: SchemaController = {
  compilersFactory: {
    // Fastify's own types overload these per schema dialect; at run time each is one function.
    buildValidator: onFirstUse('@fastify/ajv-compiler') as Factories['buildValidator'],
    buildSerializer: onFirstUse('@fastify/fast-json-stringify-compiler') as Factories['buildSerializer'],
  },
};
