// Express 5 + EJS, what many Node sites are built on: the coffeehouse menu and 404 page in EJS
// (header and footer partials stand in for the layout, EJS has none), /hello/, and
// express.static for /static/. View cache on, as NODE_ENV=production gives it.
import path from 'node:path';
import express from 'express';
import { DRINKS, SITE } from '../shared/coffeehouse-eta.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const app = express();
app.set('view engine', 'ejs');
app.set('views', path.join(here, 'views'));
app.set('view cache', true);
app.set('x-powered-by', false);
app.use('/static', express.static(path.join(SITE, 'static')));
app.get('/drinks/', (req, res) => res.render('menu', { title: 'Our menu', drinks: DRINKS }));
app.get('/hello/', (req, res) => res.type('text/plain; charset=utf-8').send('Hello, world!'));
app.use((req, res) => res.status(404).render('404', { title: 'Page not found' }));
app.listen(Number(process.env.PORT), '127.0.0.1');
