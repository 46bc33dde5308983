/**
 * Django's staticfiles checks, registered with the system check framework under the tag
 * 'staticfiles' when this module is imported. Like Django's, they run with every `check` (not
 * only --deploy) and only when 'reinhardt.contrib.staticfiles' is installed:
 * - staticfiles.E002  STATICFILES_DIRS contains STATIC_ROOT (collectstatic would copy the
 *                     collection onto itself);
 * - staticfiles.W004  a STATICFILES_DIRS folder does not exist.
 * Django's E001 (STATICFILES_DIRS is not a list) and E003 (a prefix ends with '/') are settings
 * validation errors in Reinhardt: such settings never load.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAppInstalled } from '../apps/registry.js';
import { type CheckContext, type CheckMessage, Tags, checkError, checkWarning, registerCheck } from '../checks/index.js';
import { staticDirLocations } from './finders.js';
import { STATICFILES_APP } from './static-settings.js';

export function checkStaticRootNotInDirs({ settings }: CheckContext): CheckMessage[] {
  if (!isAppInstalled(settings, STATICFILES_APP) || !settings.STATIC_ROOT) return [];
  const root = resolve(settings.STATIC_ROOT);
  return staticDirLocations(settings).some((l) => l.root === root)
    ? [
        checkError('The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting.', {
          id: 'staticfiles.E002',
          hint: "STATICFILES_DIRS are the sources collectstatic reads; STATIC_ROOT is where it writes. Use a separate folder, e.g. join(BASE_DIR, 'staticfiles').",
        }),
      ]
    : [];
}

export function checkStaticDirsExist({ settings }: CheckContext): CheckMessage[] {
  if (!isAppInstalled(settings, STATICFILES_APP)) return [];
  const out: CheckMessage[] = [];
  for (const { root } of staticDirLocations(settings)) {
    let isDir = false;
    try {
      isDir = statSync(root).isDirectory();
    } catch {
      // missing: reported below
    }
    if (!isDir) {
      out.push(
        checkWarning(`The directory '${root}' in the STATICFILES_DIRS setting does not exist.`, {
          id: 'staticfiles.W004',
          hint: 'Create the folder, or remove it from STATICFILES_DIRS.',
        }),
      );
    }
  }
  return out;
}

/** The staticfiles checks, in the order they run. */
export const STATICFILES_CHECKS = [checkStaticRootNotInDirs, checkStaticDirsExist] as const;

for (const check of STATICFILES_CHECKS) registerCheck(check, { tags: [Tags.staticfiles] });
