/**
 * Settings shared by every coffeehouse environment. Each environment module spreads these and
 * changes what differs.
 */
import { join } from 'node:path';
import { defineSettings, projectPaths } from 'reinhardt/conf';

// Listing 5-5: absolute paths computed from this file's location, so the site runs from any folder.
export const { BASE_DIR, PROJECT_DIR } = projectPaths(import.meta.url);

export default defineSettings({
  // Development only: production.ts replaces it from production.cfg or COFFEEHOUSE_SECRET_KEY.
  SECRET_KEY: 'reinhardt-insecure-coffeehouse-development-key-5c9f2b7e1d8a4f3c9b6e',

  INSTALLED_APPS: [
    'reinhardt.contrib.staticfiles',
    'reinhardt.contrib.sessions',
    'reinhardt.contrib.messages',
    'stores',
    'drinks',
    'contact',
    'newsletter',
  ],

  // Django's order: sessions before csrf and messages, which keep their state in it.
  MIDDLEWARE: ['security', 'sessions', 'common', 'csrf', 'messages', 'x-frame-options'],

  ROOT_URLCONF: 'coffeehouse.urls',

  TEMPLATES: [
    {
      BACKEND: 'eta',
      DIRS: [join(PROJECT_DIR, 'templates')],
      APP_DIRS: true,
      OPTIONS: { context_processors: ['debug', 'request', 'static', 'csrf', 'messages'] },
    },
  ],

  STATIC_URL: '/static/',
  STATICFILES_DIRS: [join(BASE_DIR, 'static')],
  // The seed's consolidation folder: collectstatic copies every static file here.
  STATIC_ROOT: join(BASE_DIR, 'coffeestatic'),

  EMAIL_SUBJECT_PREFIX: '[Coffeehouse] ',
  DEFAULT_FROM_EMAIL: 'Coffeehouse <hello@coffeehouse.com>',
  SERVER_EMAIL: 'Coffeehouse site <site@coffeehouse.com>',

  // A custom setting: any UPPER_CASE name is allowed.
  COFFEEHOUSE_OPENING_HOURS: 'Open daily 7am–7pm',
});
