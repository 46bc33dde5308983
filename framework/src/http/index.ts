/** reinhardt/http: requests, responses, errors views may throw, and the app assembly. */
export { HttpRequest } from './request.js';
export { QueryDict } from './query-dict.js';
export {
  HttpResponse,
  JsonResponse,
  HttpResponseRedirect,
  HttpResponsePermanentRedirect,
  HttpResponseNotModified,
  HttpResponseNotAllowed,
  HttpResponseBadRequest,
  HttpResponseForbidden,
  HttpResponseNotFound,
  HttpResponseGone,
  HttpResponseServerError,
  type CookieOptions,
} from './response.js';
export {
  Http404,
  PermissionDenied,
  BadRequest,
  SuspiciousOperation,
  DisallowedHost,
  RequestDataTooBig,
  TooManyFieldsSent,
  UnsupportedMediaType,
} from '../errors.js';
export { createApp, type AppOptions, type ReinhardtApp } from './app.js';
export { registerMiddleware, type Middleware, type MiddlewareContext, type MiddlewareFactory } from './middleware.js';
export { redirect } from '../shortcuts.js';
export { csrfExempt } from './csrf/exempt.js';
export { rotateCsrfToken } from './csrf/rotate.js';
export { Session, EXPIRY_KEY } from './sessions/session.js';
export {
  registerSessionEngine,
  sessionEngineNames,
  type SessionData,
  type SessionEngine,
  type SessionEngineContext,
  type SessionEngineFactory,
} from './sessions/engine.js';
export type { JsonValue } from './sessions/json-data.js';
export type { GetSignedCookieOptions } from './signed-cookies.js';
export { patchVaryHeaders } from './vary.js';
export { CsrfFailure, SessionTooLarge } from '../errors.js';
