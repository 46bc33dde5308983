// Raw node:http with the same eta rendering per request: the upper bound for Node here.
// Static files are read once and kept in memory.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { render404, renderMenu, SITE } from '../shared/coffeehouse-eta.mjs';

const css = readFileSync(path.join(SITE, 'static/css/site.css'));
createServer((req, res) => {
  if (req.url === '/drinks/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderMenu());
  } else if (req.url === '/hello/') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Hello, world!');
  } else if (req.url === '/static/css/site.css') {
    res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(css);
  } else {
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(render404());
  }
}).listen(Number(process.env.PORT), '127.0.0.1');
