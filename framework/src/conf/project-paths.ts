/**
 * Listing 5-5 of the seed chapter: absolute paths computed at run time from the settings file's
 * own location, so a project runs from any folder and on any machine.
 */
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ProjectPaths {
  /** The project package: the folder holding settings (coffeehouse/). */
  PROJECT_DIR: string;
  /** Its parent, where manage.ts lives (example-site/). */
  BASE_DIR: string;
}

/**
 * Pass `import.meta.url` of a settings file. For `coffeehouse/settings.ts` the project folder is
 * `coffeehouse/`; for a settings package (`coffeehouse/settings/production.ts`) it is still
 * `coffeehouse/`, the folder that holds the `settings` package.
 */
export function projectPaths(moduleUrl: string | URL): ProjectPaths {
  const file = fileURLToPath(moduleUrl);
  let dir = dirname(file);
  if (basename(dir) === 'settings') dir = dirname(dir);
  return { PROJECT_DIR: dir, BASE_DIR: dirname(dir) };
}
