/**
 * 'x-frame-options': Django's XFrameOptionsMiddleware. Clickjacking protection: every response
 * gets X-Frame-Options (X_FRAME_OPTIONS, 'DENY' by default) unless the view set one itself.
 */
import type { Middleware, MiddlewareContext } from '../middleware.js';

export function xFrameOptionsMiddleware({ settings }: MiddlewareContext): Middleware {
  const value = settings.X_FRAME_OPTIONS.toUpperCase();
  return {
    name: 'x-frame-options',
    processResponse(_request, response) {
      response.setDefault('X-Frame-Options', value);
      return response;
    },
  };
}
