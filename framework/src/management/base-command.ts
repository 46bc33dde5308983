/**
 * BaseCommand: what every command (built-in or an app's `commands/<name>.ts`) is made of.
 * A command declares its positional arguments and options as data (that is what `--help` prints
 * and what the parser checks), and implements `handle()`. It writes through `this.stdout` and
 * `this.stderr`, which tests capture, and fails with CommandError (`CommandError: message`, exit 1).
 */
import type { Readable } from 'node:stream';
import type { LoadedSettings } from '../conf/settings-types.js';
import { CommandError } from '../errors.js';
import { type Style, makeStyle } from './color.js';
import { OutputWriter } from './output.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly help: string;
  readonly short?: string;
  /** For string options: repeatable (`--ignore a --ignore b`), giving a list. */
  readonly multiple?: boolean;
  readonly default?: string | boolean;
  /** Name of the value in --help (`--settings SETTINGS`). */
  readonly metavar?: string;
}

export interface ArgSpec {
  readonly name: string;
  readonly help: string;
  readonly optional?: boolean;
  /** Takes every remaining positional argument. */
  readonly variadic?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed value of each option, typed from its spec. */
export type OptionValues<S extends OptionSpecs> = {
  [K in keyof S]: S[K]['type'] extends 'boolean'
    ? boolean
    : S[K]['multiple'] extends true
      ? string[]
      : S[K]['default'] extends string
        ? string
        : string | undefined;
};

/** Options every command takes (Django's common options). */
export const COMMON_OPTIONS = {
  settings: {
    type: 'string',
    metavar: 'SETTINGS',
    help: 'The dotted name of a settings module, e.g. "mysite.settings.production". Without it, the REINHARDT_SETTINGS_MODULE environment variable is used.',
  },
  verbosity: {
    type: 'string',
    short: 'v',
    metavar: '{0,1,2,3}',
    default: '1',
    help: 'Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output',
  },
  traceback: { type: 'boolean', help: 'Print the stack trace when a command fails.' },
  'no-color': { type: 'boolean', help: "Don't colorize the command output." },
  'force-color': { type: 'boolean', help: 'Force colorization of the command output.' },
  help: { type: 'boolean', short: 'h', help: 'Show this help message and exit.' },
} as const satisfies OptionSpecs;

export interface CommandContext {
  /** Loaded settings; undefined only for commands with `requiresSettings = false` run without any. */
  readonly settings: LoadedSettings | undefined;
  /** The project's base folder: dotted names resolve against it. */
  readonly baseDir: string;
  /** The program name in messages: 'manage.ts' or 'reinhardt'. */
  readonly progName: string;
  /** The full argv of this invocation (for runserver's reloader). */
  readonly argv: readonly string[];
  readonly verbosity: number;
  readonly stdin: Readable & { isTTY?: boolean };
  /** Environment the command runs in (tests pass their own). */
  readonly env: NodeJS.ProcessEnv;
}

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  color: boolean;
}

export abstract class BaseCommand<O extends OptionSpecs = OptionSpecs> {
  /** One paragraph for `help` and `--help`. */
  abstract readonly help: string;
  readonly args: readonly ArgSpec[] = [];
  abstract readonly options: O;
  /** Commands like startproject run without a settings module. */
  readonly requiresSettings: boolean = true;

  stdout: OutputWriter = new OutputWriter(process.stdout);
  stderr: OutputWriter = new OutputWriter(process.stderr);
  style: Style = makeStyle(false);

  /** Wire the writers. The runner calls this before handle(). */
  setIO(io: CommandIO): void {
    this.style = makeStyle(io.color);
    this.stdout = new OutputWriter(io.stdout);
    this.stderr = new OutputWriter(io.stderr, this.style.ERROR);
  }

  /**
   * Do the work. `args` are the positional arguments by name (variadic ones as arrays). Return a
   * string to have it written to stdout.
   */
  abstract handle(
    args: Readonly<Record<string, string | string[] | undefined>>,
    options: OptionValues<O>,
    ctx: CommandContext,
  ): Promise<string | void> | string | void;

  /** Settings, or a CommandError naming the remedy. */
  protected requireSettings(ctx: CommandContext): LoadedSettings {
    if (!ctx.settings) throw new CommandError('This command needs settings: pass --settings or set REINHARDT_SETTINGS_MODULE.');
    return ctx.settings;
  }
}

/** A command class with a no-argument constructor, as app command modules export it. */
export type CommandClass = new () => BaseCommand<OptionSpecs>;
