/**
 * Short names for LOGGING components, so INI files and environment variables can choose them
 * (`class: 'file'`), and so apps can add their own (`registerLogHandler('syslog', ...)`).
 * Built-in handlers are loaded only when a configuration uses them: mail-admins pulls in the
 * mail package, and a site that never mails should not pay for it at start-up.
 */
import { callbackFilter, requireDebugFalse, requireDebugTrue } from './filters.js';
import { jsonFormatter, serverFormatter, textFormatter } from './formatters/text.js';
import { loadPino } from './pino-writer.js';
import type { FilterFactory, FormatterFactory, LogHandlerClass, LogHandlerFactory } from './types.js';

export type HandlerImpl = LogHandlerClass | LogHandlerFactory;
type Lazy<T> = { load: () => Promise<T> } | { value: T };

const handlers = new Map<string, Lazy<HandlerImpl>>([
  // The writing handlers need pino, loaded with them.
  ['console', { load: async () => (await Promise.all([import('./handlers/console.js'), loadPino()]))[0].ConsoleHandler }],
  ['file', { load: async () => (await Promise.all([import('./handlers/file.js'), loadPino()]))[0].FileHandler }],
  ['mail-admins', { load: async () => (await import('./handlers/mail-admins.js')).MailAdminsHandler }],
  ['null', { load: async () => (await import('./handlers/null.js')).NullHandler }],
]);

const filters = new Map<string, FilterFactory>([
  ['require-debug-false', requireDebugFalse],
  ['require-debug-true', requireDebugTrue],
  ['callback', callbackFilter],
]);

const formatters = new Map<string, Lazy<FormatterFactory>>([
  ['json', { value: () => jsonFormatter }],
  ['text', { value: textFormatter }],
  ['server', { value: serverFormatter }],
  ['pretty', { load: async () => (await import('./formatters/pretty.js')).prettyFormatter }],
]);

/** Make a handler available by short name: a class (built with `new`) or a factory. */
export function registerLogHandler(name: string, impl: HandlerImpl): void {
  handlers.set(name, { value: impl });
}

/** Make a filter available by short name: a factory (ctx) => filter. */
export function registerLogFilter(name: string, factory: FilterFactory): void {
  filters.set(name, factory);
}

/** Make a formatter available by short name: a factory (ctx) => (entry) => line. */
export function registerLogFormatter(name: string, factory: FormatterFactory): void {
  formatters.set(name, { value: factory });
}

export function logHandlerNames(): string[] {
  return [...handlers.keys()];
}
export function logFilterNames(): string[] {
  return [...filters.keys()];
}
export function logFormatterNames(): string[] {
  return [...formatters.keys()];
}

export async function loadHandler(name: string): Promise<HandlerImpl | undefined> {
  const entry = handlers.get(name);
  if (!entry) return undefined;
  return 'value' in entry ? entry.value : entry.load();
}

export function filterFactory(name: string): FilterFactory | undefined {
  return filters.get(name);
}

export async function loadFormatter(name: string): Promise<FormatterFactory | undefined> {
  const entry = formatters.get(name);
  if (!entry) return undefined;
  return 'value' in entry ? entry.value : entry.load();
}
