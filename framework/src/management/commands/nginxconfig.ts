/**
 * nginxconfig: print an nginx server block for the "separate web server" of Table 5-1 — STATIC_ROOT
 * served at STATIC_URL with long caching for hashed names, everything else proxied to the app.
 * Save it under /etc/nginx/sites-available/, check it with `nginx -t`, and reload nginx.
 */
import { CommandError, ImproperlyConfigured } from '../../errors.js';
import { renderNginxConfig } from '../../staticfiles/nginx.js';
import { BaseCommand, type CommandContext, type OptionValues } from '../base-command.js';

const options = {
  upstream: {
    type: 'string',
    default: '127.0.0.1:8000',
    metavar: 'HOST:PORT',
    help: "Where the app listens (HOST:PORT, [IPv6]:PORT or unix:/path). Default '127.0.0.1:8000'.",
  },
  'server-name': {
    type: 'string',
    metavar: 'NAME',
    help: "nginx's server_name (several names separated by spaces). Default: ALLOWED_HOSTS, or '_'.",
  },
  listen: { type: 'string', default: '80', metavar: 'LISTEN', help: "nginx's listen value. Default '80'." },
} as const;

export default class NginxConfig extends BaseCommand<typeof options> {
  readonly help = 'Prints an nginx server block that serves STATIC_ROOT at STATIC_URL and proxies everything else to the app.';
  readonly options = options;

  handle(_args: unknown, opts: OptionValues<typeof options>, ctx: CommandContext): string {
    const settings = this.requireSettings(ctx);
    try {
      return renderNginxConfig(settings, {
        upstream: opts.upstream,
        listen: opts.listen,
        ...(opts['server-name'] !== undefined ? { serverName: opts['server-name'] } : {}),
      });
    } catch (err) {
      if (err instanceof ImproperlyConfigured) throw new CommandError(err.message, { cause: err });
      throw err;
    }
  }
}
