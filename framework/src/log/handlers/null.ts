/**
 * 'null': records sent here go nowhere. The way to silence a logger:
 * `loggers: { 'reinhardt.security.DisallowedHost': { handlers: ['null'], propagate: false } }`.
 * It is never active, so the level gate skips it and a silenced logger costs one cached lookup.
 */
import type { LogHandler } from '../types.js';

export class NullHandler implements LogHandler {
  readonly active = false;
  handle(): void {}
}
