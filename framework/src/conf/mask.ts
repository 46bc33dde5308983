/**
 * Secrets never print. Two nets, both applied wherever settings or requests are shown (debug
 * page, diffsettings, error mail, logs):
 * - by name: a value whose key matches API|TOKEN|KEY|SECRET|PASS|SIGNATURE|COOKIE is replaced,
 *   recursively through objects and arrays (Django's SafeExceptionReporterFilter rule, plus COOKIE);
 * - by value: the literal values of secrets (SECRET_KEY, its fallbacks, env values read with
 *   `secret: true`) are replaced wherever they appear in a text, because a secret can leak through
 *   an error message or a URL as easily as through its own setting.
 */
import { escapeControl } from '../log/escape.js';

export const MASK = '********************';
export const SENSITIVE_NAME = /API|TOKEN|KEY|SECRET|PASS|SIGNATURE|COOKIE/i;

/** Replace the values of sensitive names, recursively. The input is not changed. */
export function cleanse(name: string, value: unknown, seen = new WeakSet<object>()): unknown {
  if (SENSITIVE_NAME.test(name) && value !== null && value !== undefined && value !== '') {
    // A list of keys or a nested object under a secret name: mask it whole.
    return MASK;
  }
  if (value && typeof value === 'object') {
    if (value instanceof RegExp || value instanceof Date) return value;
    // `seen` holds the objects on the path from the root only: the same array reached twice
    // (TEMPLATES DIRS and STATICFILES_DIRS sharing one list) is shown twice, not as circular.
    if (seen.has(value)) return '<circular>';
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => cleanse('', v, seen));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        Object.defineProperty(out, k, { value: cleanse(k, v, seen), enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      seen.delete(value);
    }
  }
  return value;
}

/** A copy of the settings with sensitive values masked. */
export function cleanseSettings(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return cleanse('', settings) as Record<string, unknown>;
}

const secretValues = new Set<string>();
/** Every form to mask, longest secret first; rebuilt only when a secret is registered (hot path). */
let forms: readonly string[] = [];
/** The length of the shortest form: a shorter text holds none (most log fields and messages). */
let shortestForm = Infinity;
/** Whether a form holds a space, a double quote or a control character (see secretsCanSpanParts). */
let formsHoldSeparators = false;

function rebuildForms(): void {
  // Longest first: masking a shorter secret inside a longer one would leave the longer one's
  // remaining characters in the clear.
  const secrets = [...secretValues].sort((a, b) => b.length - a.length);
  forms = secrets.flatMap((secret) => [...encodings(secret)]);
  shortestForm = Math.min(...forms.map((form) => form.length));
  formsHoldSeparators = forms.some((form) => form.includes(' ') || form.includes('"') || escapeControl(form) !== form);
}

/**
 * For code that redacts a text in parts joined by spaces and quotes (the access log's message):
 * whether some secret could run across a join, or change under escapeControl, so that only the
 * whole text can be redacted. A generated key has none of these characters.
 */
export function secretsCanSpanParts(): boolean {
  return formsHoldSeparators;
}

/** Remember a secret's literal value so that redactSecrets() masks it wherever it appears. */
export function registerSecretValue(value: string | undefined | null): void {
  // Very short values would mask ordinary words; they are weak secrets anyway (check --deploy says so).
  if (value && value.length >= 8 && !secretValues.has(value)) {
    secretValues.add(value);
    rebuildForms();
  }
}

/** Register SECRET_KEY and SECRET_KEY_FALLBACKS of loaded settings. */
export function registerSettingsSecrets(settings: { SECRET_KEY?: unknown; SECRET_KEY_FALLBACKS?: unknown }): void {
  if (typeof settings.SECRET_KEY === 'string') registerSecretValue(settings.SECRET_KEY);
  if (Array.isArray(settings.SECRET_KEY_FALLBACKS)) {
    for (const k of settings.SECRET_KEY_FALLBACKS) if (typeof k === 'string') registerSecretValue(k);
  }
}

/** Replace every registered secret value (and its URL- and HTML-encoded forms) in `text`. */
export function redactSecrets(text: string): string {
  if (text.length < shortestForm) return text;
  let out = text;
  for (const form of forms) {
    if (out.includes(form)) out = out.split(form).join(MASK);
  }
  return out;
}

function encodings(secret: string): Set<string> {
  const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  return new Set([secret, encodeURIComponent(secret), html, JSON.stringify(secret).slice(1, -1)]);
}
