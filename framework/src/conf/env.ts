/**
 * Typed environment variables, the way most deployments pass secrets today (like Starlette's
 * Config): `env.bool('DEBUG', { default: false })`, `env.str('EMAIL_HOST_PASSWORD', { secret:
 * true })`. Values are read when asked, never cached, so a test that sets a variable sees it.
 *
 * The casts are the INI file's (configparser's boolean words, strict integers and numbers), so a
 * value means the same wherever it comes from. An empty string is a value for `str` (a blank
 * password is the operator's choice) and an empty list for `list`, but an error for the numeric
 * and boolean casts: `DEBUG=` is a mistake, not false.
 */
import { EnvError } from '../errors.js';
import { BOOLEAN_WORDS_HELP, parseBooleanWord, parseStrictFloat, parseStrictInt, showValue, splitList } from './ini-config.js';
import { MASK, registerSecretValue } from './mask.js';

export interface EnvOptions<D> {
  /** Returned when the variable is not set. Without it, an unset variable is an error. */
  default?: D;
  /** Mask the value wherever it could print (messages, debug page, logs, diffsettings). */
  secret?: boolean;
}

export interface EnvListOptions<D> extends EnvOptions<D> {
  /** Where to split; ',' by default. Items are trimmed and empty ones dropped. */
  separator?: string;
}

export interface Env {
  str<D = never>(name: string, options?: EnvOptions<D>): string | D;
  bool<D = never>(name: string, options?: EnvOptions<D>): boolean | D;
  int<D = never>(name: string, options?: EnvOptions<D>): number | D;
  float<D = never>(name: string, options?: EnvOptions<D>): number | D;
  list<D = never>(name: string, options?: EnvListOptions<D>): string[] | D;
}

/**
 * An `env` over `source`; without one, over `process.env` as it is at each call (so even a
 * replaced `process.env` object is seen).
 *
 * @example
 * const env = createEnv({ DEBUG: 'off' });
 * env.bool('DEBUG'); // false
 */
export function createEnv(source?: NodeJS.ProcessEnv): Env {
  function read(name: string): string | undefined {
    if (typeof name !== 'string' || name === '') throw new TypeError('An environment variable name must be a non-empty string.');
    const vars = source ?? process.env;
    // Own properties only: env.str('toString') must not find Object.prototype.toString.
    return Object.hasOwn(vars, name) ? vars[name] : undefined;
  }

  function get<T, D>(name: string, options: EnvOptions<D> | undefined, expected: string, cast: (raw: string) => T | undefined): T | D {
    const raw = read(name);
    if (raw === undefined) {
      if (options && Object.hasOwn(options, 'default')) {
        const fallback = options.default as D;
        if (options.secret) registerDefault(fallback);
        return fallback;
      }
      throw new EnvError('RH_ERR_ENV_MISSING', `Environment variable '${name}' is not set and has no default.`);
    }
    // Registered before the cast: a malformed secret is still a secret.
    if (options?.secret) registerSecretValue(raw);
    const value = cast(raw);
    if (value === undefined) {
      const shown = options?.secret ? MASK : raw === '' ? 'an empty string' : showValue(raw);
      throw new EnvError('RH_ERR_ENV_VALUE', `Environment variable '${name}' is ${shown}, which is not ${expected}.`);
    }
    // Each item of a secret list is a secret on its own (old keys printed one at a time).
    if (options?.secret) registerDefault(value);
    return value;
  }

  return {
    // No trim for strings: a password may begin or end with a space.
    str: (name, options) => get(name, options, 'a string', (s) => s),
    // Surrounding spaces (an .env file's 'DEBUG = true ') are forgiven, as Python's int() does.
    bool: (name, options) => get(name, options, `a boolean (${BOOLEAN_WORDS_HELP})`, (s) => parseBooleanWord(s.trim())),
    int: (name, options) => get(name, options, 'an integer (whole decimal digits like 587)', (s) => parseStrictInt(s.trim())),
    float: (name, options) => get(name, options, 'a number (a finite decimal like 2.5)', (s) => parseStrictFloat(s.trim())),
    list: (name, options) => get(name, options, 'a list', (s) => splitList(s, options?.separator)),
  };
}

function registerDefault(value: unknown): void {
  if (typeof value === 'string') registerSecretValue(value);
  else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') registerSecretValue(v);
}

/** Typed access to `process.env`, read at each call. */
export const env: Env = createEnv();
