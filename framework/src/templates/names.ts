/**
 * Template names are relative posix paths with their extension: 'stores/detail.html'. A name can
 * reach the loader from user code that took it from a request (`?page=../../etc/passwd`), so it
 * is checked before it is joined to any folder: a name that could leave its template folder is
 * refused outright with SuspiciousFileOperation (logged as a security event by the error funnel),
 * where Django's loaders quietly skip the folder and answer TemplateDoesNotExist.
 */
import { SuspiciousFileOperation, TemplateDoesNotExist } from '../errors.js';

/** Backslashes (Windows separators), NUL (truncates paths in C APIs) and drive letters. */
const FORBIDDEN = /[\\\0]|^[A-Za-z]:/;
/** An empty, '.' or '..' segment: the name needs normalising (or refusing). */
const NON_CANONICAL = /(?:^|\/)\.{0,2}(?:\/|$)/;

/**
 * The canonical form of a template name ('a//b/./c.html' -> 'a/b/c.html'), or an error:
 * SuspiciousFileOperation for absolute names, '..', backslashes and NUL; TemplateDoesNotExist
 * for names that are empty or not strings (nothing could match them).
 */
export function canonicalTemplateName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new TemplateDoesNotExist(typeof name === 'string' ? name : String(name), []);
  }
  if (FORBIDDEN.test(name) || name.startsWith('/')) {
    throw new SuspiciousFileOperation(
      `Template name ${JSON.stringify(name)} was refused: template names are relative paths with '/' separators ` +
        `(like 'stores/detail.html'), without a leading '/', a drive letter, backslashes or NUL.`,
    );
  }
  if (!NON_CANONICAL.test(name)) return name;
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '..') {
      throw new SuspiciousFileOperation(
        `Template name ${JSON.stringify(name)} was refused: '..' could leave the template folders. ` +
          `Name templates from the root of a template folder ('stores/detail.html').`,
      );
    }
    if (part !== '' && part !== '.') parts.push(part);
  }
  if (parts.length === 0) throw new TemplateDoesNotExist(name, []);
  return parts.join('/');
}
