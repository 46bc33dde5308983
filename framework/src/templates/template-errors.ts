/**
 * Template errors beyond the catalogue's two classes, and the rule for which errors pass through a
 * template untouched. Errors the template machinery raised itself already say where they happened
 * (the innermost template wins, as in Django's debug page); anything else thrown while a template
 * runs is wrapped in TemplateSyntaxError with the template's name and line.
 */
import { SuspiciousFileOperation, TemplateDoesNotExist, TemplateSyntaxError } from '../errors.js';

/**
 * A layout or include that no template folder holds. Still a TemplateDoesNotExist (same code, same
 * `tried`), but it also names the template that asked for it, so the page that fails is not
 * mistaken for the missing one (`404.html` exists, its layout does not).
 */
export class IncludeDoesNotExist extends TemplateDoesNotExist {
  /** The template whose layout() or include() named the missing one. */
  readonly askedBy: string;
  constructor(template: string, tried: readonly string[], askedBy: string) {
    super(template, tried);
    this.askedBy = askedBy;
    this.message = this.message.replace(/ does not exist\./, ` (asked for by '${askedBy}') does not exist.`);
  }
}

/** Errors that carry their own template location and must not be wrapped again. */
export function isTemplateMachineryError(err: unknown): boolean {
  return err instanceof TemplateSyntaxError || err instanceof TemplateDoesNotExist || err instanceof SuspiciousFileOperation;
}

/** "TypeError: it.store is undefined" for an Error, the value itself for anything else thrown. */
export function describeThrown(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return `a non-Error value was thrown: ${String(err)}`;
}

/** Wrap `err` (thrown while `template` ran) unless it already says where it happened. */
export function asTemplateError(err: unknown, template: string, line: number | undefined): unknown {
  if (isTemplateMachineryError(err)) return err;
  return new TemplateSyntaxError(template, line, describeThrown(err), { cause: err });
}
