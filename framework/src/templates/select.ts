/**
 * Django's select_template: the first of several names that exists. When none does, the error
 * names them all and lists every path tried for each, in order, so the debug page shows the
 * whole search.
 */
import { TemplateDoesNotExist } from '../errors.js';
import { IncludeDoesNotExist } from './template-errors.js';

export function selectFirst<T>(names: readonly string[], get: (name: string) => T): T {
  if (names.length === 0) throw new TemplateDoesNotExist('(no template names were given)', []);
  const tried: string[] = [];
  for (const name of names) {
    try {
      return get(name);
    } catch (err) {
      // A missing layout of a template that exists is that template's problem, not a reason to try the next name.
      if (!(err instanceof TemplateDoesNotExist) || err instanceof IncludeDoesNotExist) throw err;
      tried.push(...err.tried);
    }
  }
  throw new TemplateDoesNotExist(names.join(', '), tried);
}
