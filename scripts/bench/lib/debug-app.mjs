// Reinhardt's DEBUG static serving without runserver around it: the coffeehouse's development
// settings (DEBUG true) through createApp(), from the build, listening on $PORT.
//   node debug-app.mjs DIST_DIR
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.argv[2];
const load = (rel) => import(pathToFileURL(join(dist, 'framework', 'src', rel)).href);
const { loadSettings } = await load('conf/index.js');
const { createApp } = await load('http/app.js');
const settings = await loadSettings({ module: 'coffeehouse.settings.development', baseDir: join(dist, 'example-site'), env: process.env });
const app = await createApp(settings);
await app.fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
