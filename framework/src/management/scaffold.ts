/** Writing new project and app folders safely: valid names, no overwrites, no escape from the target. */
import { existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { CommandError } from '../errors.js';

const RESERVED = new Set(['reinhardt', 'node_modules', 'test', 'tests', 'static', 'templates', 'commands', 'settings']);

export function checkNewName(name: string, kind: 'project' | 'app'): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new CommandError(`'${name}' is not a valid ${kind} name. Please make sure the name is a valid identifier.`);
  }
  if (RESERVED.has(name.toLowerCase())) {
    throw new CommandError(`'${name}' conflicts with the name of an existing module or folder and cannot be used as a ${kind} name. Please try another name.`);
  }
}

export function writeTree(options: { name: string; directory: string | undefined; cwd: string; files: Record<string, string> }): string {
  let target: string;
  if (options.directory) {
    target = resolve(options.cwd, options.directory);
    if (!existsSync(target) || !statSync(target).isDirectory()) {
      throw new CommandError(`Destination directory '${target}' does not exist, please create it first.`);
    }
  } else {
    target = resolve(options.cwd, options.name);
    if (existsSync(target)) throw new CommandError(`'${target}' already exists`);
  }
  for (const rel of Object.keys(options.files)) {
    const file = join(target, rel);
    if (existsSync(file)) throw new CommandError(`${file} already exists. Overlaying a ${options.directory ? 'folder' : 'project'} into an existing directory won't replace conflicting files.`);
  }
  for (const [rel, content] of Object.entries(options.files)) {
    const file = join(target, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content, { flag: 'wx' });
  }
  return target;
}

/**
 * Make 'reinhardt' resolvable from a new project right away (an `npm link` of the running
 * framework) when it is not already, e.g. a project created outside any npm workspace.
 * Returns true when a link was made.
 */
export function linkFramework(target: string, frameworkRoot: string): boolean {
  try {
    createRequire(join(target, 'package.json')).resolve('reinhardt/package.json');
    return false;
  } catch {
    const link = join(target, 'node_modules', 'reinhardt');
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(frameworkRoot, link, 'dir');
    return true;
  }
}
