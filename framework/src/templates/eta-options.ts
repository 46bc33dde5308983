/**
 * TEMPLATES OPTIONS for the eta backend, checked when the engine is built. Besides Django's
 * `context_processors`, `autoescape` and a `cache` switch, a few of eta's own options pass through
 * (whitespace control, delimiters, a function header, filters, plugins). Options that would break
 * what the framework promises (`varName`, `useWith`, `views`, `debug`) are not among them, and an
 * unknown key fails at boot instead of being silently ignored.
 */
import type { EtaConfig } from 'eta';
import { describeValue } from '../conf/setting-rules.js';
import type { TemplateBackendSettings } from '../conf/settings-types.js';
import { ImproperlyConfigured } from '../errors.js';

type Check = (value: unknown) => boolean;

const isBool: Check = (v) => typeof v === 'boolean';
const isTrim: Check = (v) => v === false || v === 'nl' || v === 'slurp';

/** eta options accepted as they are, with what each must be. */
const PASS_THROUGH: Record<string, { expected: string; ok: Check }> = {
  autoTrim: { expected: "false, 'nl', 'slurp' or a pair of them", ok: (v) => isTrim(v) || (Array.isArray(v) && v.length === 2 && v.every(isTrim)) },
  rmWhitespace: { expected: 'a boolean', ok: isBool },
  tags: { expected: "a pair of strings like ['<%', '%>']", ok: (v) => Array.isArray(v) && v.length === 2 && v.every((s) => typeof s === 'string' && s !== '') },
  functionHeader: { expected: 'a string of JavaScript', ok: (v) => typeof v === 'string' },
  autoFilter: { expected: 'a boolean', ok: isBool },
  filterFunction: { expected: 'a function', ok: (v) => typeof v === 'function' },
  plugins: { expected: 'a list of eta plugins', ok: (v) => Array.isArray(v) && v.every((p) => p !== null && typeof p === 'object') },
};

const OWN = ['context_processors', 'autoescape', 'cache'] as const;

export interface EtaEngineOptions {
  readonly cache: boolean;
  readonly contextProcessors: readonly unknown[];
  readonly eta: Partial<EtaConfig>;
}

export function readEtaOptions(config: TemplateBackendSettings, debug: boolean, label: string): EtaEngineOptions {
  const options = config.OPTIONS ?? {};
  const eta: Record<string, unknown> = {};
  const bad = (key: string, expected: string, value: unknown): ImproperlyConfigured =>
    new ImproperlyConfigured(`${label}.OPTIONS.${key}: expected ${expected}, found ${describeValue(value)}.`);

  for (const [key, value] of Object.entries(options)) {
    if ((OWN as readonly string[]).includes(key)) continue;
    const rule = PASS_THROUGH[key];
    if (!rule) {
      const known = [...OWN, ...Object.keys(PASS_THROUGH)].join(', ');
      throw new ImproperlyConfigured(`${label}.OPTIONS: unknown option '${key}' for the eta backend. Known options: ${known}.`);
    }
    if (!rule.ok(value)) throw bad(key, rule.expected, value);
    eta[key] = value;
  }

  const { autoescape = true, cache = !debug, context_processors = [] } = options;
  if (typeof autoescape !== 'boolean') throw bad('autoescape', 'a boolean', autoescape);
  if (typeof cache !== 'boolean') throw bad('cache', 'a boolean', cache);
  if (!Array.isArray(context_processors)) throw bad('context_processors', 'a list of processor names or functions', context_processors);
  eta.autoEscape = autoescape;
  eta.cache = cache;
  return { cache, contextProcessors: context_processors, eta: eta as Partial<EtaConfig> };
}
