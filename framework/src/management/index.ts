/** reinhardt/management: the command runner, BaseCommand and CommandError for app commands. */
export { executeFromCommandLine, type RunOptions } from './cli.js';
export { BaseCommand, COMMON_OPTIONS, type ArgSpec, type CommandContext, type OptionSpec, type OptionSpecs, type OptionValues } from './base-command.js';
export { CommandError } from '../errors.js';
export { OutputWriter } from './output.js';
export { type Style } from './color.js';
