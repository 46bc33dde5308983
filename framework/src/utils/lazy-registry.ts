/**
 * Short names for components that a setting chooses (MIDDLEWARE entries, SESSION_ENGINE), each
 * loaded on first use so an unused built-in costs nothing at start-up. A setting's value is a
 * registered name or the factory itself; an unknown name fails at boot and lists the known ones.
 */
import { ImproperlyConfigured } from '../errors.js';

export class LazyRegistry<F extends (...args: never[]) => unknown> {
  readonly #loaders = new Map<string, () => Promise<F>>();

  /**
   * `what` names one component in messages ('middleware', 'session engine'); `factory` describes
   * what an imported one is ('a middleware factory (ctx) => middleware').
   */
  constructor(
    private readonly what: string,
    private readonly factory: string,
  ) {}

  register(name: string, load: () => Promise<F>): void {
    this.#loaders.set(name, load);
  }

  names(): string[] {
    return [...this.#loaders.keys()];
  }

  /** The factory `entry` names or is; `setting` says where the entry came from in messages. */
  async resolve(entry: unknown, setting: string): Promise<F> {
    if (typeof entry === 'function') return entry as F;
    if (typeof entry !== 'string') {
      throw new ImproperlyConfigured(`${setting} must be a short name or ${this.factory}.`, { code: 'RH_ERR_UNKNOWN_COMPONENT' });
    }
    const load = this.#loaders.get(entry);
    if (!load) {
      throw new ImproperlyConfigured(
        `${setting}: unknown ${this.what} '${entry}'. Known names: ${this.names().map((n) => `'${n}'`).join(', ')}; or give ${this.factory}.`,
        { code: 'RH_ERR_UNKNOWN_COMPONENT' },
      );
    }
    return load();
  }
}
