/** startapp NAME [DIR]: an app folder with urls.ts, views.ts, templates/NAME/, static/NAME/ and commands/. */
import { BaseCommand, type CommandContext } from '../base-command.js';
import { appFiles } from '../project-template.js';
import { checkNewName, writeTree } from '../scaffold.js';

export default class StartApp extends BaseCommand {
  readonly help =
    "Creates a Reinhardt app directory structure for the given app name in the project's base directory (where manage.ts is) or optionally in the given directory.";
  override readonly args = [
    { name: 'name', help: 'Name of the application.' },
    { name: 'directory', help: 'Optional destination directory (must exist).', optional: true },
  ] as const;
  readonly options = {} as const;
  override readonly requiresSettings = false;

  handle(args: Readonly<Record<string, string | string[] | undefined>>, _opts: unknown, ctx: CommandContext): void {
    const name = args.name as string;
    checkNewName(name, 'app');
    const target = writeTree({ name, directory: args.directory as string | undefined, cwd: ctx.baseDir, files: appFiles(name) });
    if (ctx.verbosity >= 1) {
      this.stdout.write(`Created app '${name}' in ${target}.`);
      this.stdout.write(`Add '${name}' to INSTALLED_APPS and path('${name}/', include('${name}.urls')) to your urlpatterns.`);
    }
  }
}
