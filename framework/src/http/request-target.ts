/** The request target as a site sees it. */

/**
 * `http://host` of an absolute-form request target (RFC 9112, 3.2.2): `GET http://host/path
 * HTTP/1.1`. Only http and https, in any case, as Fastify's router (find-my-way) reduces them;
 * any other scheme is refused (isForeignTarget) rather than seen one way here and another there.
 */
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * The request target in origin form ('/path?query'). A client may send the absolute form, which
 * Fastify's router matches by its path; the path and query a site sees must be that same path
 * (as gunicorn's PATH_INFO is), or a middleware checking request.path would see
 * 'http://host/staff/' while the '/staff/' view answers.
 */
export function originForm(target: string): string {
  if (target.charCodeAt(0) === 47) return target;
  const scheme = ABSOLUTE_FORM.exec(target);
  if (!scheme) return target;
  const rest = target.slice(scheme[0].length);
  return rest.charCodeAt(0) === 47 ? rest : `/${rest}`;
}

/** A target that is neither a path, '*' (OPTIONS *) nor an http(s) absolute form: a 400. */
export function isForeignTarget(target: string): boolean {
  return target.charCodeAt(0) !== 47 && target !== '*' && !ABSOLUTE_FORM.test(target);
}
