/**
 * The coffeehouse site's command-line utility (Django's manage.py).
 * From the repository root: `npm run manage -- <command>`, e.g. `npm run manage -- runserver`.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeFromCommandLine } from 'reinhardt/management';

// Option 1 of the settings chapter: coffeehouse/settings/index.ts picks the environment by host
// name. REINHARDT_SETTINGS_MODULE or --settings choose another module (Option 3).
process.env.REINHARDT_SETTINGS_MODULE ??= 'coffeehouse.settings';

process.exitCode = await executeFromCommandLine({
  argv: process.argv.slice(2),
  baseDir: dirname(fileURLToPath(import.meta.url)),
  progName: 'manage.ts',
});
