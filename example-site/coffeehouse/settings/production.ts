/**
 * Production (host names live*), Option 2 of the settings chapter (Listing 5-7/5-8): values come
 * from an INI file, production.cfg, kept out of version control. COFFEEHOUSE_CONFIG names another
 * file; environment variables override its secrets, which is how most deployments pass them.
 */
import { join } from 'node:path';
import { defineSettings, env, readConfig } from 'reinhardt/conf';
import base, { PROJECT_DIR } from './base.js';

const config = readConfig(env.str('COFFEEHOUSE_CONFIG', { default: join(PROJECT_DIR, 'production.cfg') }));

export default defineSettings({
  ...base,
  // getBoolean, never get: the string 'false' is truthy (the chapter's trap; validation refuses it).
  DEBUG: config.getBoolean('general', 'DEBUG'),
  STATIC_URL: config.getString('general', 'STATIC_URL', { fallback: '/static/' }) ?? '/static/',
  STATICFILES_STORAGE: 'manifest',
  ALLOWED_HOSTS: config.getList('general', 'ALLOWED_HOSTS', { fallback: ['.coffeehouse.com'] }),
  ADMINS: config.getList('general', 'ADMINS', { fallback: [] }),
  MANAGERS: config.getList('general', 'MANAGERS', { fallback: [] }),

  SECRET_KEY: env.str('COFFEEHOUSE_SECRET_KEY', { default: config.getString('security', 'SECRET_KEY') ?? '', secret: true }),
  // Key rotation (README): old keys still verify what they signed until they are dropped here.
  SECRET_KEY_FALLBACKS: env.list('COFFEEHOUSE_OLD_SECRET_KEYS', {
    default: config.getList('security', 'SECRET_KEY_FALLBACKS', { fallback: [] }),
    secret: true,
  }),

  MIDDLEWARE: [...base.MIDDLEWARE, 'broken-link-emails'],

  EMAIL_BACKEND: 'smtp',
  EMAIL_HOST: config.getString('email', 'HOST', { fallback: 'localhost' }) ?? 'localhost',
  EMAIL_PORT: config.getInt('email', 'PORT', { fallback: 25 }),
  EMAIL_HOST_USER: config.getString('email', 'USER', { fallback: '' }) ?? '',
  EMAIL_HOST_PASSWORD: env.str('COFFEEHOUSE_EMAIL_PASSWORD', {
    default: config.getString('email', 'PASSWORD', { fallback: '' }) ?? '',
    secret: true,
  }),
  EMAIL_USE_TLS: config.getBoolean('email', 'USE_TLS', { fallback: false }),

  SECURE_SSL_REDIRECT: true,
  SECURE_PROXY_SSL_HEADER: ['x-forwarded-proto', 'https'],
  SECURE_HSTS_SECONDS: 31536000,
  SECURE_HSTS_INCLUDE_SUBDOMAINS: true,
  SESSION_COOKIE_SECURE: true,
  CSRF_COOKIE_SECURE: true,
});
