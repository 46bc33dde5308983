/**
 * LOGGING problems are collected and reported together, like settings validation: one boot
 * tells the operator everything that is wrong with the configuration, each line naming the entry.
 */
import { type ErrorCode, ImproperlyConfigured } from '../errors.js';

export class ConfigProblems {
  private readonly list: { code: ErrorCode; message: string }[] = [];

  add(message: string, code: ErrorCode = 'RH_ERR_IMPROPERLY_CONFIGURED'): void {
    this.list.push({ code, message });
  }

  get size(): number {
    return this.list.length;
  }

  /** Throw one ImproperlyConfigured holding every problem (its code: the first problem's). */
  throwIfAny(): void {
    if (!this.list.length) return;
    const [first] = this.list;
    if (this.list.length === 1) throw new ImproperlyConfigured(first!.message, { code: first!.code });
    const lines = this.list.map((p) => `  - ${p.message}`).join('\n');
    throw new ImproperlyConfigured(`${this.list.length} problems in LOGGING:\n${lines}`, { code: first!.code });
  }
}

/** `'name'` quoted for messages. */
export function q(name: string): string {
  return `'${name}'`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
