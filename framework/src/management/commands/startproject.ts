/**
 * startproject NAME [DIR]: a new TypeScript project that runs at once with
 * `npx reinhardt runserver --settings NAME.settings` or its own manage.ts. Its SECRET_KEY starts
 * with 'reinhardt-insecure-' so that `check --deploy` flags it until a real one replaces it.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { frameworkPackage } from '../../package-root.js';
import { getRandomSecretKey } from '../../signing/index.js';
import { frameworkVersion } from '../../version.js';
import { BaseCommand, type CommandContext } from '../base-command.js';
import { projectFiles } from '../project-template.js';
import { checkNewName, linkFramework, writeTree } from '../scaffold.js';

export default class StartProject extends BaseCommand {
  readonly help =
    'Creates a Reinhardt project directory structure for the given project name in the current directory or optionally in the given directory.';
  override readonly args = [
    { name: 'name', help: 'Name of the project.' },
    { name: 'directory', help: 'Optional destination directory (must exist).', optional: true },
  ] as const;
  readonly options = {} as const;
  override readonly requiresSettings = false;

  handle(args: Readonly<Record<string, string | string[] | undefined>>, _opts: unknown, ctx: CommandContext): void {
    const name = args.name as string;
    checkNewName(name, 'project');
    const target = writeTree({
      name,
      directory: args.directory as string | undefined,
      cwd: ctx.baseDir,
      files: projectFiles({ name, secretKey: `reinhardt-insecure-${getRandomSecretKey()}`, version: frameworkVersion() }),
    });
    const linked = linkFramework(target, frameworkRoot());
    if (ctx.verbosity >= 1) {
      this.stdout.write(`Created project '${name}' in ${target}.`);
      if (linked) this.stdout.write(`Linked node_modules/reinhardt to ${frameworkRoot()} so it runs now; 'npm install' replaces the link.`);
      this.stdout.write(`Start it:  cd ${target} && npm start   (or: npx reinhardt runserver --settings ${name}.settings)`);
    }
  }
}

/** The folder of the running framework package. */
function frameworkRoot(): string {
  const require = createRequire(import.meta.url);
  try {
    return resolve(require.resolve('reinhardt/package.json'), '..');
  } catch {
    return frameworkPackage().root;
  }
}
