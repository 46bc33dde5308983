/**
 * Option 1 of the settings chapter (Listing 5-6): one entry point, the environment chosen by the
 * machine's host name. live* -> production, test* -> testing, anything else -> development.
 * Only the chosen module is imported, so a developer machine never needs production.cfg.
 * (Tests set REINHARDT_HOSTNAME to stand in for the host name.)
 */
import { hostEnvironment } from 'reinhardt/conf';

export const COFFEEHOUSE_HOST = hostEnvironment({ live: 'production', test: 'testing' }, 'development');

const modules = {
  production: () => import('./production.js'),
  testing: () => import('./testing.js'),
  development: () => import('./development.js'),
};

export default (await modules[COFFEEHOUSE_HOST]()).default;
