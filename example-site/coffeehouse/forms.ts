/**
 * The few form fields the coffeehouse needs, validated like Django's forms: values trimmed,
 * one message per field, shown next to it. A value that goes into a mail header (a name, an
 * address, a subject) must stay on one line: CR or LF there is how header injection starts, so it
 * is a form error and nothing is sent.
 */
import type { QueryDict } from 'reinhardt/http';

export type Errors<F extends string> = Partial<Record<F, string>>;

const REQUIRED = 'This field is required.';
const ONE_LINE = 'This must fit on one line.';
const INVALID_EMAIL = 'Enter a valid email address.';

/** A local part without spaces or mail syntax, '@', then a host name with at least one dot. */
const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

export interface TextRules {
  maxLength: number;
  /** Goes into a mail header: CR and LF are refused. */
  header?: boolean;
}

/** A required text field: the trimmed value, or a message. */
export function text(raw: string | undefined, rules: TextRules): { value: string; error?: string } {
  const value = (raw ?? '').trim();
  if (rules.header && /[\r\n]/.test(raw ?? '')) return { value, error: ONE_LINE };
  if (!value) return { value, error: REQUIRED };
  if (value.length > rules.maxLength) {
    return { value, error: `Ensure this value has at most ${rules.maxLength} characters (it has ${value.length}).` };
  }
  return { value };
}

/** A required email address. */
export function email(raw: string | undefined): { value: string; error?: string } {
  const value = (raw ?? '').trim();
  if (/[\r\n]/.test(raw ?? '')) return { value, error: INVALID_EMAIL };
  if (!value) return { value, error: REQUIRED };
  if (value.length > 254 || !EMAIL.test(value)) return { value, error: INVALID_EMAIL };
  return { value };
}

/** Run each field's check over a POST and collect the values and errors. */
export function validate<F extends string>(
  post: QueryDict,
  fields: Readonly<Record<F, (raw: string | undefined) => { value: string; error?: string }>>,
): { values: Record<F, string>; errors: Errors<F>; valid: boolean } {
  const values = {} as Record<F, string>;
  const errors: Errors<F> = {};
  for (const name of Object.keys(fields) as F[]) {
    const result = fields[name](post.get(name));
    values[name] = result.value;
    if (result.error) errors[name] = result.error;
  }
  return { values, errors, valid: Object.keys(errors).length === 0 };
}
