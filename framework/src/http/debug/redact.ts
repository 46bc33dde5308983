/**
 * Redaction by value for the debug pages and error reports. conf/mask.ts's redactSecrets() knows
 * every registered secret (SECRET_KEY, its fallbacks, env secrets) in its raw, URL-encoded,
 * HTML-escaped and JSON-escaped forms. A page mixes those encodings, so this goes further, past
 * Django (which only masks by setting name):
 * - each piece of text is redacted *before* it is escaped, and the whole page again after;
 * - percent-encoding a client chose differently (lower-case hex, an encoded "'", '+' for spaces)
 *   is undone on a copy: if the decoded copy holds a secret, the decoded copy, redacted, is shown;
 * - for the keys this page knows (SECRET_KEY, SECRET_KEY_FALLBACKS) the layered forms too: HTML of
 *   URL-encoded, HTML of JSON-escaped, and a JavaScript single-quoted literal as found in source.
 */
import { MASK, redactSecrets, registerSettingsSecrets } from '../../conf/mask.js';
import type { LoadedSettings } from '../../conf/settings-types.js';
import { escapeHtml } from './escape.js';

/** mask.ts ignores shorter values (they would mask ordinary words); keep the same rule. */
const MIN_SECRET_LENGTH = 8;

export interface Redactor {
  /** Redact one raw (unescaped) piece of text. */
  text(value: string): string;
  /** Last net over a finished page or report. */
  page(value: string): string;
}

function knownSecrets(settings: LoadedSettings): string[] {
  const out: string[] = [];
  try {
    const key: unknown = settings.SECRET_KEY;
    if (typeof key === 'string') out.push(key);
    const fallbacks: unknown = settings.SECRET_KEY_FALLBACKS;
    if (Array.isArray(fallbacks)) for (const k of fallbacks) if (typeof k === 'string') out.push(k);
  } catch {
    // Odd settings objects must not stop the page; the registered secrets still apply.
  }
  return out.filter((k) => k.length >= MIN_SECRET_LENGTH);
}

function layeredForms(secret: string): string[] {
  const url = encodeURIComponent(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  const jsSingle = secret.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const forms = [secret, url, json, jsSingle, encodeURI(secret), escapeHtml(secret), escapeHtml(url), escapeHtml(json), escapeHtml(jsSingle)];
  // Longest first, so a form that contains another is replaced whole.
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/** Decode every run of %XX sequences that decodes cleanly; leave the rest as it is. */
function decodePercent(value: string, plusIsSpace: boolean): string {
  const text = plusIsSpace ? value.replace(/\+/g, ' ') : value;
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

export function createRedactor(settings: LoadedSettings): Redactor {
  try {
    // Settings built in code (tests, scripts) were never registered by the app; do it here so
    // their key is masked by value too. Registering twice is harmless (a Set).
    registerSettingsSecrets(settings);
  } catch {
    // The known-secret pass below still covers SECRET_KEY.
  }
  const forms = knownSecrets(settings).flatMap(layeredForms);

  const replaceKnown = (value: string): string => {
    let out = value;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
    return out;
  };
  const once = (value: string): string => replaceKnown(redactSecrets(value));

  const text = (value: string): string => {
    const direct = once(value);
    if (!/%[0-9a-fA-F]{2}|\+/.test(direct)) return direct;
    for (const plus of [false, true]) {
      const decoded = decodePercent(direct, plus);
      const cleaned = once(decoded);
      if (cleaned !== decoded) return cleaned;
    }
    return direct;
  };
  return { text, page: once };
}
