/**
 * Email backends by short name, so INI files and environment variables can choose one
 * (EMAIL_BACKEND=console). EMAIL_BACKEND may instead hold an imported backend: a class
 * (constructed with `new`) or a factory function (called). An unknown name fails with the list
 * of known ones.
 */
import type { LoadedSettings } from '../../conf/settings-types.js';
import { ImproperlyConfigured } from '../../errors.js';
import type { EmailBackend, EmailBackendClass, EmailBackendFactory, EmailBackendOptions } from './base.js';
import { ConsoleEmailBackend } from './console.js';
import { DummyEmailBackend } from './dummy.js';
import { FileBasedEmailBackend } from './filebased.js';
import { LocmemEmailBackend } from './locmem.js';
import { SmtpEmailBackend } from './smtp.js';

type Make = (settings: LoadedSettings, options: EmailBackendOptions) => EmailBackend;

const registry = new Map<string, EmailBackendClass | EmailBackendFactory>([
  ['smtp', SmtpEmailBackend],
  ['console', ConsoleEmailBackend],
  ['filebased', FileBasedEmailBackend],
  ['locmem', LocmemEmailBackend],
  ['dummy', DummyEmailBackend],
]);

/** Make a backend available by a short name (an app can add 'ses', for example). */
export function registerEmailBackend(name: string, backend: EmailBackendClass | EmailBackendFactory): void {
  registry.set(name, backend);
}

export function emailBackendNames(): string[] {
  return [...registry.keys()];
}

/** A class has a prototype with sendMessages (or is written `class`); anything else is a factory. */
function isClass(fn: object): fn is EmailBackendClass {
  const proto = (fn as { prototype?: { sendMessages?: unknown } }).prototype;
  return typeof proto?.sendMessages === 'function' || /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/** Turn an EMAIL_BACKEND value into a maker; `setting` names where the value came from in errors. */
export function resolveEmailBackend(ref: unknown, setting = 'EMAIL_BACKEND'): Make {
  let impl: unknown = ref;
  if (typeof ref === 'string') {
    impl = registry.get(ref);
    if (impl === undefined) {
      const known = emailBackendNames().map((n) => `'${n}'`).join(', ');
      throw new ImproperlyConfigured(
        `${setting}: '${ref}' is not a known email backend. Known names: ${known}; or pass an imported backend class or factory instead of a string.`,
        { code: 'RH_ERR_UNKNOWN_COMPONENT' },
      );
    }
  }
  if (typeof impl !== 'function') {
    throw new ImproperlyConfigured(
      `${setting} must be a backend's short name or an imported backend class or factory (got ${typeof impl}).`,
      { code: 'RH_ERR_UNKNOWN_COMPONENT' },
    );
  }
  const fn = impl;
  return (settings, options) => {
    const backend: unknown = isClass(fn) ? new fn(settings, options) : (fn as EmailBackendFactory)(settings, options);
    const missing = ['open', 'close', 'sendMessages'].filter((m) => typeof (backend as Record<string, unknown> | null)?.[m] !== 'function');
    if (missing.length) {
      throw new ImproperlyConfigured(
        `${setting}: the backend given has no ${missing.map((m) => `${m}()`).join(', ')} method; an email backend needs open(), close() and sendMessages().`,
        { code: 'RH_ERR_UNKNOWN_COMPONENT' },
      );
    }
    return backend as EmailBackend;
  };
}
