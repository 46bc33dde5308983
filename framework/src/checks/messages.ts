/**
 * Check messages, like django.core.checks.messages: a level, a message, an optional hint, the
 * object concerned and a stable id ('security.W004'). Ids never change meaning once published,
 * because SILENCED_SYSTEM_CHECKS and people's notes refer to them.
 *
 * The factories are named checkWarning(), checkError()... rather than Warning/Error so they never
 * shadow JavaScript's own Error.
 */

/** Django's levels; a message is "serious" at ERROR and above. */
export const CheckLevel = {
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
} as const;

export type CheckLevelName = keyof typeof CheckLevel;

export const CHECK_LEVEL_NAMES = Object.keys(CheckLevel) as readonly CheckLevelName[];

export interface CheckMessageOptions {
  /** What to do about it; printed on its own line after "HINT:". */
  hint?: string | null;
  /** The thing concerned (an app label, a setting name); printed before the id, '?' when absent. */
  obj?: unknown;
  /** Stable id: '<namespace>.<E|W|I|D|C><number>', e.g. 'security.W004', 'reinhardt.W001'. */
  id?: string | null;
}

export class CheckMessage {
  readonly level: number;
  readonly msg: string;
  readonly hint: string | null;
  readonly obj: unknown;
  readonly id: string | null;

  constructor(level: number, msg: string, options: CheckMessageOptions = {}) {
    if (!Number.isInteger(level)) throw new TypeError('The first argument of CheckMessage must be a level (an integer).');
    this.level = level;
    this.msg = msg;
    this.hint = options.hint ?? null;
    this.obj = options.obj ?? null;
    this.id = options.id ?? null;
  }

  /** At or above `level` (ERROR by default): makes `check` fail at that fail level. */
  isSerious(level: number = CheckLevel.ERROR): boolean {
    return this.level >= level;
  }

  isSilenced(silenced: readonly string[]): boolean {
    return this.id !== null && silenced.includes(this.id);
  }

  /** `obj: (id) msg` and, with a hint, a second line `\tHINT: hint` — Django's report line. */
  toString(): string {
    const obj = this.obj === null || this.obj === undefined ? '?' : String(this.obj);
    const id = this.id ? `(${this.id}) ` : '';
    const hint = this.hint ? `\n\tHINT: ${this.hint}` : '';
    return `${obj}: ${id}${this.msg}${hint}`;
  }

  equals(other: CheckMessage): boolean {
    return (
      this.level === other.level && this.msg === other.msg && this.hint === other.hint && this.obj === other.obj && this.id === other.id
    );
  }
}

export function checkDebug(msg: string, options?: CheckMessageOptions): CheckMessage {
  return new CheckMessage(CheckLevel.DEBUG, msg, options);
}

export function checkInfo(msg: string, options?: CheckMessageOptions): CheckMessage {
  return new CheckMessage(CheckLevel.INFO, msg, options);
}

export function checkWarning(msg: string, options?: CheckMessageOptions): CheckMessage {
  return new CheckMessage(CheckLevel.WARNING, msg, options);
}

export function checkError(msg: string, options?: CheckMessageOptions): CheckMessage {
  return new CheckMessage(CheckLevel.ERROR, msg, options);
}

export function checkCritical(msg: string, options?: CheckMessageOptions): CheckMessage {
  return new CheckMessage(CheckLevel.CRITICAL, msg, options);
}
