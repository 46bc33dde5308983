/**
 * Listing 5-6 of the seed chapter: one settings module, the environment chosen by the host
 * name's prefix. `hostEnvironment({ live: 'production', test: 'testing' }, 'development')` on a
 * machine called `live-web-3` answers 'production'.
 *
 * Tests (and containers whose host names are random) set REINHARDT_HOSTNAME to stand in for
 * os.hostname().
 */
import { hostname } from 'node:os';

export const HOSTNAME_ENV_VAR = 'REINHARDT_HOSTNAME';

/** The host name environment choices are made on. */
export function currentHostname(env: NodeJS.ProcessEnv = process.env): string {
  return env[HOSTNAME_ENV_VAR] || hostname();
}

export function hostEnvironment<const P extends Record<string, string>, const F extends string>(
  prefixes: P,
  fallback: F,
  host: string = currentHostname(),
): P[keyof P] | F {
  const name = host.toLowerCase();
  // Longest prefix first, so { test: ..., 'test-eu': ... } picks the more specific one.
  const ordered = Object.keys(prefixes).sort((a, b) => b.length - a.length);
  for (const prefix of ordered) {
    if (name.startsWith(prefix.toLowerCase())) return prefixes[prefix] as P[keyof P];
  }
  return fallback;
}
