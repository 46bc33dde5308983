/**
 * The command runner behind `npx reinhardt` (django-admin) and a project's manage.ts
 * (manage.py): picks the command, loads the settings it needs, parses its options, runs it and
 * turns failures into one clear message and an exit code. A stack trace only with --traceback.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadSettings, SETTINGS_ENV_VAR } from '../conf/load-settings.js';
import { activateSettings } from '../conf/settings-registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import { CommandError, ImproperlyConfigured, ReinhardtError, SystemCheckError } from '../errors.js';
import { mapStack } from '../utils/source-maps.js';
import { frameworkVersion } from '../version.js';
import { type BaseCommand, COMMON_OPTIONS, type CommandContext, type OptionSpecs } from './base-command.js';
import { makeStyle, wantsColor } from './color.js';
import { commandHelp } from './help.js';
import { type CommandSource, discoverCommands } from './registry.js';

export interface RunOptions {
  /** Arguments after the program: ['runserver', '8001']. */
  argv: readonly string[];
  /** Folder dotted names resolve against: manage.ts's folder, or the working directory. */
  baseDir: string;
  /** 'manage.ts' or 'reinhardt', in messages. */
  progName: string;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  stdin?: CommandContext['stdin'];
  env?: NodeJS.ProcessEnv;
}

/** Run one command line; resolves to the process exit code. */
export async function executeFromCommandLine(options: RunOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const argv = [...options.argv];
  const early = preParse(argv);
  const errStyle = makeStyle(wantsColor(stderr, early, env));
  const fail = (err: unknown): number => reportFailure(err, stderr, errStyle, early.traceback);

  const subcommand = argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined;
  if (!subcommand) {
    if (argv.includes('--version')) {
      stdout.write(`${frameworkVersion()}\n`);
      return 0;
    }
    if (argv.length && !argv.some((a) => a === '-h' || a === '--help')) {
      stderr.write(`Unknown option: '${argv[0]}'. Type '${options.progName} help' for usage.\n`);
      return 1;
    }
  }

  // Settings are loaded when named; a command that needs them reports the loading error.
  let settings: LoadedSettings | undefined;
  let settingsError: unknown;
  if (early.settings || env[SETTINGS_ENV_VAR]) {
    try {
      settings = await loadSettings({ module: early.settings, baseDir: options.baseDir, env });
    } catch (err) {
      settingsError = err;
    }
  }
  let commands: Map<string, CommandSource>;
  try {
    commands = discoverCommands(settings);
  } catch (err) {
    return fail(err);
  }

  if (!subcommand || subcommand === 'help') {
    const topic = subcommand === 'help' ? argv[1] : undefined;
    if (!topic || topic.startsWith('-')) {
      stdout.write(mainHelp(options.progName, commands, settingsError));
      return 0;
    }
    const source = commands.get(topic);
    if (!source) return unknownCommand(topic, options.progName, commands, stderr);
    try {
      stdout.write(commandHelp(options.progName, topic, await source.load()));
      return 0;
    } catch (err) {
      return fail(err);
    }
  }

  const source = commands.get(subcommand);
  if (!source) {
    if (settingsError) return fail(settingsError);
    return unknownCommand(subcommand, options.progName, commands, stderr);
  }
  try {
    const command = await source.load();
    const rest = argv.slice(1);
    if (rest.includes('-h') || rest.includes('--help')) {
      stdout.write(commandHelp(options.progName, subcommand, command));
      return 0;
    }
    const parsed = parseCommandLine(command, rest, options.progName, subcommand);
    if (typeof parsed === 'string') {
      stderr.write(parsed);
      return 2;
    }
    if (command.requiresSettings) {
      if (settingsError) throw settingsError;
      if (!settings) await loadSettings({ module: undefined, baseDir: options.baseDir, env }); // throws "no settings module named"
    }
    activateSettings(settings);
    const color = wantsColor(stdout, { noColor: parsed.values['no-color'] === true, forceColor: parsed.values['force-color'] === true }, env);
    command.setIO({ stdout, stderr, color });
    const verbosity = Number(parsed.values.verbosity ?? 1);
    if (!Number.isInteger(verbosity) || verbosity < 0 || verbosity > 3) {
      throw new CommandError(`--verbosity must be one of 0, 1, 2, 3 (got '${String(parsed.values.verbosity)}').`);
    }
    const ctx: CommandContext = {
      settings,
      baseDir: options.baseDir,
      progName: options.progName,
      argv: options.argv,
      verbosity,
      stdin: options.stdin ?? process.stdin,
      env,
    };
    const output = await command.handle(parsed.args, parsed.values as never, ctx);
    if (typeof output === 'string' && output) command.stdout.write(output);
    return 0;
  } catch (err) {
    return fail(err);
  }
}

interface EarlyOptions {
  settings: string | undefined;
  traceback: boolean;
  noColor: boolean;
  forceColor: boolean;
}

/** The options the runner needs before it knows the command (Django's ManagementUtility does the same). */
function preParse(argv: readonly string[]): EarlyOptions {
  let settings: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--settings') settings = argv[i + 1];
    else if (a.startsWith('--settings=')) settings = a.slice('--settings='.length);
  }
  return {
    settings,
    traceback: argv.includes('--traceback'),
    noColor: argv.includes('--no-color'),
    forceColor: argv.includes('--force-color'),
  };
}

interface Parsed {
  args: Record<string, string | string[] | undefined>;
  values: Record<string, string | boolean | string[] | undefined>;
}

/** Parse options and positionals against the command's specs; a usage error comes back as text. */
export function parseCommandLine(command: BaseCommand, argv: readonly string[], progName: string, name: string): Parsed | string {
  const specs: OptionSpecs = { ...COMMON_OPTIONS, ...command.options };
  const config: ParseArgsConfig['options'] = {};
  for (const [key, spec] of Object.entries(specs)) {
    config[key] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
      ...(spec.default !== undefined ? { default: spec.default } : {}),
    } as NonNullable<ParseArgsConfig['options']>[string];
  }
  const usage = `usage: ${progName} ${name} [options]${command.args.map((a) => ` ${a.optional ? `[${a.name}]` : a.name}`).join('')}\n`;
  let result;
  try {
    result = parseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return `${usage}${progName} ${name}: error: ${msg}\n`;
  }
  const values = result.values as Parsed['values'];
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.type === 'boolean' && values[key] === undefined) values[key] = false;
    if (spec.multiple && values[key] === undefined) values[key] = [];
  }
  const positionals = [...result.positionals];
  const args: Parsed['args'] = {};
  for (const spec of command.args) {
    if (spec.variadic) {
      args[spec.name] = positionals.splice(0);
      if (!spec.optional && (args[spec.name] as string[]).length === 0) {
        return `${usage}${progName} ${name}: error: the following arguments are required: ${spec.name}\n`;
      }
      continue;
    }
    const v = positionals.shift();
    if (v === undefined && !spec.optional) {
      return `${usage}${progName} ${name}: error: the following arguments are required: ${spec.name}\n`;
    }
    args[spec.name] = v;
  }
  if (positionals.length) return `${usage}${progName} ${name}: error: unrecognized arguments: ${positionals.join(' ')}\n`;
  return { args, values };
}

function mainHelp(progName: string, commands: Map<string, CommandSource>, settingsError: unknown): string {
  const groups = new Map<string, string[]>();
  for (const [name, source] of commands) {
    const list = groups.get(source.group) ?? [];
    list.push(name);
    groups.set(source.group, list);
  }
  const lines = [
    '',
    `Type '${progName} help <subcommand>' for help on a specific subcommand.`,
    '',
    'Available subcommands:',
  ];
  for (const [group, names] of [...groups].sort(([a], [b]) => (a === 'reinhardt' ? -1 : b === 'reinhardt' ? 1 : a.localeCompare(b)))) {
    lines.push('', `[${group}]`, ...names.sort().map((n) => `    ${n}`));
  }
  if (settingsError) {
    const why = settingsError instanceof Error ? settingsError.message.split('\n')[0] : String(settingsError);
    lines.push('', `Note that only Reinhardt's built-in commands are listed as settings are not properly configured (error: ${why}).`);
  }
  return `${lines.join('\n')}\n`;
}

function unknownCommand(name: string, progName: string, commands: Map<string, CommandSource>, stderr: NodeJS.WritableStream): number {
  const close = closest(name, [...commands.keys()]);
  const hint = close ? ` Did you mean '${close}'?` : '';
  stderr.write(`Unknown command: '${name}'.${hint} Type '${progName} help' for usage.\n`);
  return 1;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** One message per failure; the stack only with --traceback. */
function reportFailure(err: unknown, stderr: NodeJS.WritableStream, style: ReturnType<typeof makeStyle>, traceback: boolean): number {
  if (traceback && err instanceof Error && err.stack) {
    stderr.write(`${mapStack(err.stack)}\n`);
  }
  if (err instanceof SystemCheckError) {
    // The check report is already laid out (and coloured) by the check framework.
    stderr.write(err.message.endsWith('\n') ? err.message : `${err.message}\n`);
    return err.returncode;
  }
  if (err instanceof CommandError) {
    stderr.write(`${style.ERROR(`CommandError: ${err.message}`)}\n`);
    return err.returncode;
  }
  if (err instanceof ImproperlyConfigured) {
    stderr.write(`${style.ERROR(`ImproperlyConfigured: ${err.message}`)}\n`);
    return 1;
  }
  if (err instanceof ReinhardtError) {
    stderr.write(`${style.ERROR(`${err.name}: ${err.message}`)}\n`);
    return 1;
  }
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  stderr.write(`${style.ERROR(msg)}\n`);
  if (!traceback) stderr.write('(Run the command again with --traceback to see the stack trace.)\n');
  return 1;
}
