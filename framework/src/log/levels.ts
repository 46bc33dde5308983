/**
 * Level names and numbers as Python's logging has them (DEBUG 10 ... CRITICAL 50, NOTSET 0).
 * LOGGING may spell a level in any case or give its number; 'WARN' and 'FATAL' are Python's
 * aliases.
 */
import { LEVELS } from './logger.js';

export const NOTSET = 0;

const ALIASES: Readonly<Record<string, number>> = {
  ...LEVELS,
  NOTSET,
  WARN: LEVELS.WARNING,
  FATAL: LEVELS.CRITICAL,
};

/** The number of a level, or undefined when `value` names none. */
export function parseLevel(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  return ALIASES[value.trim().toUpperCase()];
}

export function levelNames(): string[] {
  return Object.keys(LEVELS);
}

