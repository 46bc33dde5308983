/**
 * Built-in filters: Django's RequireDebugFalse / RequireDebugTrue and CallbackFilter.
 *
 * The DEBUG filters read the settings LOGGING was configured with, which are frozen, so their
 * answer never changes: they are marked constant, and the level gate leaves out a handler whose
 * constant filter says no. With DEBUG off, a WARNING on 'reinhardt.request' (every 404) then
 * costs one cached lookup instead of a trip through the console handler's filter.
 */
import { ImproperlyConfigured } from '../errors.js';
import type { LogRecord } from './logger.js';
import { q } from './problems.js';
import type { FilterContext, LogFilter } from './types.js';

const CONSTANT = Symbol('reinhardt.log.constantFilter');

type ConstantFilter = ((record: LogRecord) => boolean) & { [CONSTANT]: boolean };

/** A filter whose answer does not depend on the record. */
export function constantFilter(answer: boolean): LogFilter {
  const fn = (() => answer) as unknown as ConstantFilter;
  fn[CONSTANT] = answer;
  return fn;
}

/** The constant answer of a filter, or undefined when it looks at records. */
export function constantAnswer(filter: LogFilter): boolean | undefined {
  return typeof filter === 'function' ? (filter as Partial<ConstantFilter>)[CONSTANT] : undefined;
}

export function requireDebugFalse({ settings }: FilterContext): LogFilter {
  return constantFilter(!settings.DEBUG);
}

export function requireDebugTrue({ settings }: FilterContext): LogFilter {
  return constantFilter(settings.DEBUG);
}

/** Django's CallbackFilter: `{ '()': 'callback', callback: (record) => boolean }`. */
export function callbackFilter({ id, options }: FilterContext): LogFilter {
  const callback = options.callback;
  if (typeof callback !== 'function') {
    throw new ImproperlyConfigured(`LOGGING filter ${q(id)}: 'callback' needs a callback option, a function (record) => boolean.`);
  }
  return (record) => Boolean((callback as (r: LogRecord) => unknown)(record));
}

/** Run a filter of either shape. */
export function passes(filter: LogFilter, record: LogRecord): boolean {
  return typeof filter === 'function' ? filter(record) : filter.filter(record);
}
