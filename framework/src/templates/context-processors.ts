/**
 * Context processors: data every template rendered for a request gets, chosen by
 * TEMPLATES OPTIONS.context_processors. Built-ins have short names (so INI files can choose them);
 * a function `(request) => object` is used as is. Resolved once, when the engine is built, so an
 * unknown name fails at boot and each render only calls functions.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import { ImproperlyConfigured } from '../errors.js';
// Data only (no imports of its own): the level numbers templates compare `m.level` with.
import { DEFAULT_LEVELS as MESSAGE_LEVELS } from '../messages/levels.js';
import type { ContextProcessor, TemplateContext, TemplateRequest } from './types.js';

export const BUILTIN_CONTEXT_PROCESSORS = ['debug', 'request', 'static', 'csrf', 'messages'] as const;

const NO_MESSAGES: TemplateContext = Object.freeze({ messages: Object.freeze([]), DEFAULT_MESSAGE_LEVELS: MESSAGE_LEVELS });

const NOTHING: TemplateContext = Object.freeze({});
const DEBUG_ON: TemplateContext = Object.freeze({ debug: true });

/**
 * A string computed on first use. The CSRF token is only made (and its cookie only set) when a
 * template prints it, as with Django's lazy csrf_token. It survives eta's `{...it}` copies for
 * layouts and includes because the laziness lives in the value, not in a getter on the data.
 */
export class LazyString {
  #compute: (() => string) | undefined;
  #value = '';

  constructor(compute: () => string) {
    this.#compute = compute;
  }

  toString(): string {
    if (this.#compute) {
      const compute = this.#compute;
      this.#compute = undefined;
      this.#value = String(compute());
    }
    return this.#value;
  }

  valueOf(): string {
    return this.toString();
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.toPrimitive](): string {
    return this.toString();
  }
}

/** '::ffff:127.0.0.1' (an IPv4 client on a dual-stack socket) compares as '127.0.0.1'. */
function plainIp(addr: string | undefined): string | undefined {
  return addr?.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}

function builtin(name: string, settings: LoadedSettings): ContextProcessor | undefined {
  switch (name) {
    case 'debug': {
      // Django's rule: `debug` only for DEBUG and a client in INTERNAL_IPS, so a development
      // server reachable from a LAN does not show debug output to every visitor. With DEBUG off
      // it can never add anything, so it is dropped instead of being called on every render.
      if (!settings.DEBUG) return undefined;
      const internal = new Set(settings.INTERNAL_IPS.map((ip) => plainIp(ip)));
      return (request) => (internal.has(plainIp(request.remoteAddr)) ? DEBUG_ON : NOTHING);
    }
    case 'request':
      return (request) => ({ request });
    case 'static': {
      const out: TemplateContext = Object.freeze({ STATIC_URL: settings.STATIC_URL });
      return () => out;
    }
    case 'csrf':
      // One token per render, made only if the template prints it. `csrfInput` is the hidden
      // field a form needs (print it raw: <%~ it.csrfInput %>); the token is letters and digits.
      return (request: TemplateRequest) => {
        if (typeof request.csrfToken !== 'function') return NOTHING;
        const token = new LazyString(() => request.csrfToken!());
        return { csrfToken: token, csrfInput: new LazyString(() => `<input type="hidden" name="csrfmiddlewaretoken" value="${token}">`) };
      };
    case 'messages':
      // The storage itself, not a copy: only a template that iterates it consumes the messages.
      return (request: TemplateRequest) =>
        request.messageStorage ? { messages: request.messageStorage, DEFAULT_MESSAGE_LEVELS: MESSAGE_LEVELS } : NO_MESSAGES;
    default:
      return undefined;
  }
}

/** The processors to run for each request, in order; unknown names and non-functions fail here. */
export function resolveContextProcessors(settings: LoadedSettings, entries: readonly unknown[], label: string): ContextProcessor[] {
  const out: ContextProcessor[] = [];
  for (const [i, entry] of entries.entries()) {
    const where = `${label}.OPTIONS.context_processors[${i}]`;
    if (typeof entry === 'string') {
      if (!(BUILTIN_CONTEXT_PROCESSORS as readonly string[]).includes(entry)) {
        throw new ImproperlyConfigured(
          `${where}: unknown context processor '${entry}'. Known: ${BUILTIN_CONTEXT_PROCESSORS.map((n) => `'${n}'`).join(', ')}, ` +
            `or a function (request) => ({ ... }).`,
          { code: 'RH_ERR_UNKNOWN_COMPONENT' },
        );
      }
      const processor = builtin(entry, settings);
      if (processor) out.push(processor);
    } else if (typeof entry === 'function') {
      out.push(checked(entry as (request: TemplateRequest) => unknown, where));
    } else {
      throw new ImproperlyConfigured(
        `${where}: expected a processor name (${BUILTIN_CONTEXT_PROCESSORS.join(', ')}) or a function (request) => ({ ... }).`,
        { code: 'RH_ERR_UNKNOWN_COMPONENT' },
      );
    }
  }
  return out;
}

/** A site's processor that returns something other than an object is a configuration mistake; say which one. */
function checked(fn: (request: TemplateRequest) => unknown, where: string): ContextProcessor {
  const name = fn.name || 'anonymous function';
  return (request) => {
    const result = fn(request);
    if (result === null || typeof result !== 'object') {
      throw new ImproperlyConfigured(`${where} (${name}) must return an object of template data; it returned ${result === null ? 'null' : typeof result}.`);
    }
    return result as TemplateContext;
  };
}
