/**
 * The check registry, like django.core.checks.registry: check functions registered with tags,
 * some only for deployment (`check --deploy`). A check receives the settings and the project's
 * base folder and returns messages; it never prints and never throws for a problem it found.
 */
import type { AppConfig } from '../apps/registry.js';
import type { LoadedSettings } from '../conf/settings-types.js';
import type { CheckMessage } from './messages.js';

/** Tags of the built-in checks. Apps may use their own. */
export const Tags = {
  security: 'security',
  mail: 'mail',
  staticfiles: 'staticfiles',
  templates: 'templates',
  urls: 'urls',
} as const;

export interface CheckContext {
  readonly settings: LoadedSettings;
  /** The project's base folder: dotted names resolve against it. */
  readonly baseDir: string;
  /** Apps named on the command line (`check stores drinks`), or null for the whole project. */
  readonly apps: readonly AppConfig[] | null;
}

export type CheckFunction = (ctx: CheckContext) => readonly CheckMessage[] | Promise<readonly CheckMessage[]>;

export interface RegisterOptions {
  /** `check --tag security` runs only checks with that tag; untagged checks run only without --tag. */
  tags?: readonly string[];
  /** Run only with `check --deploy` (settings that matter in production). */
  deploy?: boolean;
}

export interface RegisteredCheck {
  readonly fn: CheckFunction;
  readonly tags: readonly string[];
  readonly deploy: boolean;
}

export interface RunChecksOptions {
  settings: LoadedSettings;
  baseDir: string;
  /** Only checks carrying at least one of these tags. */
  tags?: readonly string[] | null;
  includeDeploymentChecks?: boolean;
  apps?: readonly AppConfig[] | null;
}

/** What a run found: the messages to show, and those SILENCED_SYSTEM_CHECKS left out. */
export interface CheckRun {
  readonly messages: readonly CheckMessage[];
  readonly silenced: readonly CheckMessage[];
}

export class CheckRegistry {
  private readonly checks = new Map<CheckFunction, RegisteredCheck>();

  /** Register `fn` (once: registering it again replaces its tags). Returns `fn`. */
  register<F extends CheckFunction>(fn: F, options: RegisterOptions = {}): F {
    if (typeof fn !== 'function') throw new TypeError('registerCheck() takes a check function: (ctx) => CheckMessage[].');
    this.checks.set(fn, { fn, tags: Object.freeze([...(options.tags ?? [])]), deploy: options.deploy === true });
    return fn;
  }

  /** The checks in registration order; deployment checks only when asked for. */
  getChecks(includeDeploymentChecks = false): RegisteredCheck[] {
    return [...this.checks.values()].filter((c) => includeDeploymentChecks || !c.deploy);
  }

  tagsAvailable(includeDeploymentChecks = false): string[] {
    const tags = new Set(this.getChecks(includeDeploymentChecks).flatMap((c) => c.tags));
    return [...tags].sort();
  }

  tagExists(tag: string, includeDeploymentChecks = false): boolean {
    return this.tagsAvailable(includeDeploymentChecks).includes(tag);
  }

  /** Run the checks, one after the other, and split silenced messages from the rest. */
  async run(options: RunChecksOptions): Promise<CheckRun> {
    let checks = this.getChecks(options.includeDeploymentChecks === true);
    const tags = options.tags;
    if (tags) checks = checks.filter((c) => c.tags.some((tag) => tags.includes(tag)));
    const ctx: CheckContext = { settings: options.settings, baseDir: options.baseDir, apps: options.apps ?? null };
    const silencedIds = options.settings.SILENCED_SYSTEM_CHECKS;
    const messages: CheckMessage[] = [];
    const silenced: CheckMessage[] = [];
    for (const check of checks) {
      const found: unknown = await check.fn(ctx);
      if (!Array.isArray(found)) {
        throw new TypeError(
          `The check function ${check.fn.name || '(anonymous)'} did not return an array. ` +
            'Every registered check must return an array of check messages (an empty one when all is well).',
        );
      }
      for (const message of found as CheckMessage[]) (message.isSilenced(silencedIds) ? silenced : messages).push(message);
    }
    return { messages, silenced };
  }
}
