/**
 * Django's rotate_token: a new CSRF secret for this client, sent with the response. Call it when
 * a visitor logs in, so a token an attacker saw (or planted) before is worthless afterwards.
 */
import { ImproperlyConfigured } from '../../errors.js';
import type { HttpRequest } from '../request.js';

export function rotateCsrfToken(request: HttpRequest): void {
  if (!request.csrf) throw new ImproperlyConfigured("rotateCsrfToken() needs the 'csrf' middleware: add 'csrf' to MIDDLEWARE.");
  request.csrf.rotate();
}
