/**
 * Where commands come from: the built-in ones (loaded lazily, so `help` and a single command
 * import only what they use) and each installed app's `commands/<name>.ts`, whose default export
 * is a BaseCommand subclass.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getApps } from '../apps/registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { ImproperlyConfigured } from '../errors.js';
import { importFile } from '../utils/modules.js';
import { BaseCommand, type CommandClass } from './base-command.js';

type Loader = () => Promise<{ default: CommandClass }>;

export const BUILTIN_COMMANDS: Readonly<Record<string, Loader>> = {
  check: () => import('./commands/check.js'),
  collectstatic: () => import('./commands/collectstatic.js'),
  diffsettings: () => import('./commands/diffsettings.js'),
  findstatic: () => import('./commands/findstatic.js'),
  generatesecretkey: () => import('./commands/generatesecretkey.js'),
  nginxconfig: () => import('./commands/nginxconfig.js'),
  runserver: () => import('./commands/runserver.js'),
  sendtestemail: () => import('./commands/sendtestemail.js'),
  serve: () => import('./commands/serve.js'),
  startapp: () => import('./commands/startapp.js'),
  startproject: () => import('./commands/startproject.js'),
};

export interface CommandSource {
  /** '[reinhardt]' or the app's name, for the help listing. */
  readonly group: string;
  load(): Promise<BaseCommand>;
}

const COMMAND_FILE = /^([a-z][a-z0-9_]*)\.(ts|js|mts|mjs)$/;

/** Every command by name: built-ins, then app commands (an app command may override a built-in, as in Django). */
export function discoverCommands(settings: LoadedSettings | undefined): Map<string, CommandSource> {
  const found = new Map<string, CommandSource>();
  for (const [name, loader] of Object.entries(BUILTIN_COMMANDS)) {
    found.set(name, { group: 'reinhardt', load: async () => new (await loader()).default() });
  }
  if (!settings) return found;
  for (const app of getApps(settings)) {
    if (!app.path) continue;
    const dir = join(app.path, 'commands');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      const m = COMMAND_FILE.exec(file);
      if (!m || file.endsWith('.d.ts')) continue;
      const full = join(dir, file);
      found.set(m[1]!, { group: app.name, load: () => loadAppCommand(full) });
    }
  }
  return found;
}

async function loadAppCommand(file: string): Promise<BaseCommand> {
  const mod = await importFile(file);
  const Cls = mod.default;
  if (typeof Cls !== 'function' || !(Cls.prototype instanceof BaseCommand)) {
    throw new ImproperlyConfigured(`Command module ${file} must default-export a class that extends BaseCommand.`);
  }
  return new (Cls as CommandClass)();
}
