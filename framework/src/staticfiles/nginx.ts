/**
 * The "separate web server" of Table 5-1: an nginx server block that serves what collectstatic
 * put in STATIC_ROOT at STATIC_URL and hands every other request to the app.
 * - hashed names (`site.55e7cbb9ba48.css`) are cached for good (`expires max` + immutable);
 *   other files for a few minutes, since their URL survives a deploy;
 * - `gzip_static on` sends the .gz copies collectstatic wrote (STATICFILES_PRECOMPRESS); stock
 *   nginx has no brotli module, so the .br copies serve only builds that add `brotli_static`;
 * - hidden files in STATIC_ROOT (collectstatic's state file) answer 404;
 * - the app gets the client's Host, address chain and scheme, which it needs for ALLOWED_HOSTS,
 *   logs and SECURE_PROXY_SSL_HEADER = ['x-forwarded-proto', 'https'].
 * Values that would change the meaning of the configuration (quotes, '$' variables, ';', new
 * lines) are refused rather than escaped.
 */
import { resolve } from 'node:path';
import { settingsInfo } from '../conf/settings-registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { ImproperlyConfigured } from '../errors.js';
import { requireStaticRoot, requireStaticUrl, staticUrlPath } from './static-settings.js';

export interface NginxConfigOptions {
  /** Where the app listens: 'HOST:PORT', '[::1]:PORT' or 'unix:/path/to.sock'. Default '127.0.0.1:8000'. */
  readonly upstream?: string;
  /** server_name; defaults to ALLOWED_HOSTS ('*' becomes nginx's catch-all '_'). */
  readonly serverName?: string;
  /** The listen directive's value; default '80'. */
  readonly listen?: string;
}

const UPSTREAM = /^(?:unix:\/[^\s;{}'"$\\]+|[A-Za-z0-9.-]+:\d{1,5}|\[[0-9A-Fa-f:.]+\]:\d{1,5})$/;
const SERVER_NAME = /^[A-Za-z0-9.*_~-]+$/;
const LISTEN = /^[A-Za-z0-9.:[\]_ -]+$/;
const UNSAFE_IN_STRING = /["\\$\n\r;{}]/;

function quoted(what: string, value: string): string {
  if (UNSAFE_IN_STRING.test(value)) {
    throw new ImproperlyConfigured(`${what} (${JSON.stringify(value)}) contains a character nginx would misread (one of " \\ $ ; { } or a new line); rename the folder or URL.`);
  }
  return `"${value}"`;
}

function serverNames(settings: LoadedSettings, given: string | undefined): string {
  const names = given !== undefined ? given.split(/\s+/).filter(Boolean) : settings.ALLOWED_HOSTS.map((h) => (h === '*' ? '_' : h));
  if (!names.length) return '_';
  for (const n of names) {
    if (!SERVER_NAME.test(n)) throw new ImproperlyConfigured(`The server name '${n}' is not a host name nginx accepts (letters, digits, '.', '-', '*').`);
  }
  return [...new Set(names)].join(' ');
}

export function renderNginxConfig(settings: LoadedSettings, options: NginxConfigOptions = {}): string {
  const upstream = options.upstream ?? '127.0.0.1:8000';
  if (!UPSTREAM.test(upstream)) {
    throw new ImproperlyConfigured(`The upstream '${upstream}' is not HOST:PORT, [IPv6]:PORT or unix:/path (for example 127.0.0.1:8000).`);
  }
  const listen = options.listen ?? '80';
  if (!LISTEN.test(listen)) throw new ImproperlyConfigured(`The listen value '${listen}' is not an address nginx accepts (for example 80 or 127.0.0.1:8080).`);
  const root = resolve(requireStaticRoot(settings));
  let location = staticUrlPath(requireStaticUrl(settings));
  try {
    location = decodeURI(location); // nginx matches locations against the decoded URI
  } catch {
    // keep it as written
  }
  const module = settingsInfo(settings).module;
  return [
    `# nginx server block for ${module ? `settings '${module}'` : 'this site'}, written by \`nginxconfig\`.`,
    '# Run `collectstatic` before (re)loading nginx so STATIC_ROOT is complete.',
    'server {',
    `    listen ${listen};`,
    `    server_name ${serverNames(settings, options.serverName)};`,
    '',
    '    # STATIC_URL -> STATIC_ROOT, served by nginx itself (DEBUG=false: the app serves no static files).',
    `    location ^~ ${quoted('STATIC_URL', location)} {`,
    `        alias ${quoted('STATIC_ROOT', root.endsWith('/') ? root : `${root}/`)};`,
    '        gzip_static on;',
    '        expires 5m;',
    '        # Hidden files (collectstatic keeps its state in one) are never served.',
    '        location ~ /\\. {',
    '            return 404;',
    '        }',
    '        # Content-hashed names (site.55e7cbb9ba48.css) never change: cache them for good.',
    '        location ~ "\\.[0-9a-f]{12}(\\.[^./]*)?$" {',
    '            expires max;',
    '            add_header Cache-Control "public, immutable";',
    '        }',
    '    }',
    '',
    '    # Everything else goes to the app.',
    '    location / {',
    `        proxy_pass http://${upstream};`,
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_redirect off;',
    '    }',
    '}',
    '',
  ].join('\n');
}
