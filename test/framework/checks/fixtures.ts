/** Settings shared by the check tests: a fresh project and a hardened production site. */
export const FRESH_PROJECT = {
  DEBUG: true,
  SECRET_KEY: 'reinhardt-insecure-7q$w!x0c^m3k@z9r#t2y&u5i*o8p(a1s)d4f%g6h=j',
  ALLOWED_HOSTS: [],
  INSTALLED_APPS: ['reinhardt.contrib.staticfiles', 'reinhardt.contrib.sessions'],
  MIDDLEWARE: ['security', 'sessions', 'common', 'csrf', 'x-frame-options'],
  STATIC_URL: '/static/',
  EMAIL_BACKEND: 'console',
} as const;

export const PRODUCTION = {
  DEBUG: false,
  SECRET_KEY: 'k8#Jd2!pQz@4mW9^rT6&vY1*bN3(cX5)hL7_gF0+sA-eU=iO[oP]yR{tE}wQ|aS;',
  ALLOWED_HOSTS: ['.coffeehouse.com'],
  INSTALLED_APPS: ['reinhardt.contrib.staticfiles', 'reinhardt.contrib.sessions'],
  MIDDLEWARE: ['security', 'sessions', 'common', 'csrf', 'x-frame-options'],
  STATIC_URL: '/static/',
  STATIC_ROOT: '/srv/coffeehouse/staticfiles',
  SECURE_HSTS_SECONDS: 31536000,
  SECURE_HSTS_INCLUDE_SUBDOMAINS: true,
  SECURE_HSTS_PRELOAD: true,
  SECURE_SSL_REDIRECT: true,
  SESSION_COOKIE_SECURE: true,
  CSRF_COOKIE_SECURE: true,
  ADMINS: [['Webmaster', 'webmaster@coffeehouse.com']],
  EMAIL_BACKEND: 'smtp',
} as const;
