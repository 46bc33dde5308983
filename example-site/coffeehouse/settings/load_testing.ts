/**
 * Option 3 of the settings chapter (Listing 5-9): a module for load tests, chosen with
 * `--settings coffeehouse.settings.load_testing`. Production behaviour on loopback, with the full
 * production middleware, mail discarded.
 */
import { defineSettings, env } from 'reinhardt/conf';
import base from './base.js';

export default defineSettings({
  ...base,
  DEBUG: false,
  ALLOWED_HOSTS: ['127.0.0.1', 'localhost', '[::1]'],
  ADMINS: [['Load test admin', 'admin@load.coffeehouse.com']],
  MANAGERS: [['Load test manager', 'manager@load.coffeehouse.com']],
  EMAIL_BACKEND: 'dummy',
  // The production middleware, broken-link mail included (discarded by the dummy backend).
  MIDDLEWARE: [...base.MIDDLEWARE, 'broken-link-emails'],
  // The site plus a /hello/ route (example-site/loadtest/urls.ts) for the benchmark.
  ROOT_URLCONF: 'loadtest.urls',
  // One-box static serving, which the benchmark turns on (after `collectstatic` into a folder of
  // its own): COFFEEHOUSE_SERVE_STATIC=1 COFFEEHOUSE_STATIC_ROOT=/tmp/... Off by default, so that
  // load tests see Table 5-1's production behaviour (no static files from the app).
  STATIC_ROOT: env.str('COFFEEHOUSE_STATIC_ROOT', { default: base.STATIC_ROOT ?? '' }) || null,
  SERVE_STATIC_ROOT: env.bool('COFFEEHOUSE_SERVE_STATIC', { default: false }),
  // The access log is on; COFFEEHOUSE_ACCESS_LOG=0 sends 'reinhardt.server' to the null handler,
  // which is how the benchmark shows what the access log costs.
  LOGGING: env.bool('COFFEEHOUSE_ACCESS_LOG', { default: true })
    ? {}
    : { loggers: { 'reinhardt.server': { handlers: ['null'], propagate: false } } },
});
