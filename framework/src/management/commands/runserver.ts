/**
 * runserver: the development server. Django's address forms and banner, the ALLOWED_HOSTS
 * refusal, system checks at start, auto-reload in a child process, and static files served in
 * DEBUG (or with --insecure).
 */
import { isIPv6 } from 'node:net';
import { settingsInfo } from '../../conf/settings-registry.js';
import type { LoadedSettings } from '../../conf/settings-types.js';
import { CommandError } from '../../errors.js';
import { createApp } from '../../http/app.js';
import { frameworkVersion } from '../../version.js';
import { isReloaderChild, runWithReloader } from '../autoreload.js';
import { BaseCommand, type CommandContext, type OptionValues } from '../base-command.js';
import { runSystemChecks } from '../system-checks.js';

const options = {
  ipv6: { type: 'boolean', short: '6', help: 'Tells Reinhardt to use an IPv6 address.' },
  noreload: { type: 'boolean', help: 'Tells Reinhardt to NOT use the auto-reloader.' },
  nostatic: { type: 'boolean', help: 'Tells Reinhardt to NOT automatically serve static files at STATIC_URL.' },
  insecure: { type: 'boolean', help: 'Allows serving static files even if DEBUG is False.' },
  'skip-checks': { type: 'boolean', help: 'Skip system checks.' },
} as const;

export const DEFAULT_ADDR = '127.0.0.1';
export const DEFAULT_PORT = 8000;

const ADDRPORT = /^(?:(?<addr>(?<ipv4>\d{1,3}(?:\.\d{1,3}){3})|(?<ipv6>\[[a-fA-F0-9:]+\])|(?<fqdn>[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)):)?(?<port>\d+)$/;

export interface ListenAddress {
  /** The address to bind: '127.0.0.1', '::1', 'localhost'. */
  host: string;
  port: number;
  /** As shown in URLs: '127.0.0.1', '[::1]'. */
  display: string;
}

/** Django's `[addr:]port` forms; a bad one is a CommandError with Django's wording. */
export function parseAddrPort(addrport: string | undefined, useIpv6: boolean): ListenAddress {
  if (!addrport) {
    return useIpv6 ? { host: '::1', port: DEFAULT_PORT, display: '[::1]' } : { host: DEFAULT_ADDR, port: DEFAULT_PORT, display: DEFAULT_ADDR };
  }
  const m = ADDRPORT.exec(addrport);
  if (!m?.groups) throw new CommandError(`"${addrport}" is not a valid port number or address:port pair.`);
  const { addr, ipv4, ipv6, fqdn, port: portText } = m.groups;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CommandError(`"${portText}" is not a valid port number.`);
  if (ipv6) {
    const bare = ipv6.slice(1, -1);
    if (!isIPv6(bare)) throw new CommandError(`"${bare}" is not a valid IPv6 address.`);
    return { host: bare, port, display: ipv6 };
  }
  if (ipv4 && ipv4.split('.').some((n) => Number(n) > 255)) {
    throw new CommandError(`"${addrport}" is not a valid port number or address:port pair.`);
  }
  if (fqdn && useIpv6) throw new CommandError(`"${fqdn}" is not a valid IPv6 address.`);
  if (!addr) {
    return useIpv6 ? { host: '::1', port, display: '[::1]' } : { host: DEFAULT_ADDR, port, display: DEFAULT_ADDR };
  }
  // '0' is shorthand for 0.0.0.0, as in Django.
  const host = addr === '0' ? '0.0.0.0' : addr;
  return { host, port, display: host };
}

function bannerDate(now = new Date()): string {
  const month = now.toLocaleString('en-US', { month: 'long' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${month} ${pad(now.getDate())}, ${now.getFullYear()} - ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

export function requireAllowedHosts(settings: LoadedSettings): void {
  if (!settings.DEBUG && settings.ALLOWED_HOSTS.length === 0) {
    throw new CommandError('You must set settings.ALLOWED_HOSTS if DEBUG is False.');
  }
}

export default class RunServer extends BaseCommand<typeof options> {
  readonly help = 'Starts a lightweight web server for development, reloading it when a source file changes.';
  override readonly args = [{ name: 'addrport', help: 'Optional port number, or ipaddr:port', optional: true }] as const;
  readonly options = options;

  async handle(args: Readonly<Record<string, string | string[] | undefined>>, opts: OptionValues<typeof options>, ctx: CommandContext): Promise<void> {
    const settings = this.requireSettings(ctx);
    requireAllowedHosts(settings);
    const address = parseAddrPort(args.addrport as string | undefined, opts.ipv6);

    if (!opts.noreload && !isReloaderChild(ctx.env)) {
      this.stdout.write('Watching for file changes with the fs.watch reloader');
      const info = settingsInfo(settings);
      const code = await runWithReloader({
        roots: [info.baseDir],
        ignore: settings.STATIC_ROOT ? [settings.STATIC_ROOT] : [],
        env: ctx.env,
        onRestart: (file) => this.stdout.write(`${file} changed, reloading.`),
      });
      if (code !== 0) throw new CommandError('The development server stopped.', { returncode: code });
      return;
    }

    this.stdout.write('Performing system checks...');
    this.stdout.write('');
    if (!opts['skip-checks']) await runSystemChecks(settings, ctx, this);
    const app = await createApp(settings, { insecure: opts.insecure, nostatic: opts.nostatic, accessLog: true });
    try {
      await app.fastify.listen({ host: address.host, port: address.port });
    } catch (err) {
      await app.close();
      const code = (err as { code?: string }).code;
      const reason =
        code === 'EADDRINUSE'
          ? 'That port is already in use.'
          : code === 'EACCES'
            ? "You don't have permission to access that port."
            : code === 'EADDRNOTAVAIL'
              ? "That IP address can't be assigned to."
              : String((err as Error).message);
      throw new CommandError(`Error: ${reason}`);
    }
    const module = settingsInfo(settings).module ?? '(configured in code)';
    this.stdout.write(bannerDate());
    this.stdout.write(`Reinhardt version ${frameworkVersion()}, using settings '${module}'`);
    // Port 0 asks the OS for a free port; show the one it gave.
    const bound = app.fastify.server.address();
    const port = typeof bound === 'object' && bound ? bound.port : address.port;
    this.stdout.write(`Starting development server at http://${address.display}:${port}/`);
    this.stdout.write('Quit the server with CONTROL-C.');

    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void app.close().then(resolve, resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  }
}
