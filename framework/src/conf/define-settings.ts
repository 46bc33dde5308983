import type { UserSettings } from './settings-types.js';

/**
 * Declare a settings module. The argument is checked against the known settings (names and
 * types) by the compiler; custom settings must be UPPER_CASE. The module's default export is
 * what this returns.
 *
 * @example
 * import base from './base.js';
 * export default defineSettings({ ...base, DEBUG: false, ALLOWED_HOSTS: ['.coffeehouse.com'] });
 */
export function defineSettings<const T extends UserSettings>(settings: T): T {
  return settings;
}
