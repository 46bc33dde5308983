/**
 * 'messages': Django's MessageMiddleware. Gives each request a message storage on its session
 * and, after the view, keeps the messages nobody has read yet. 'sessions' must come first.
 */
import { ImproperlyConfigured } from '../errors.js';
import type { Middleware, MiddlewareContext } from '../http/middleware.js';
import type { HttpRequest } from '../http/request.js';
import { levelTags, MessageStorage } from './storage.js';

export function messagesMiddleware({ settings }: MiddlewareContext): Middleware {
  const order = settings.MIDDLEWARE;
  const sessions = order.indexOf('sessions');
  if (order.includes('messages') && (sessions === -1 || sessions > order.indexOf('messages'))) {
    throw new ImproperlyConfigured("The 'messages' middleware keeps messages in the session: 'sessions' must come before 'messages' in MIDDLEWARE.");
  }
  const options = { level: settings.MESSAGE_LEVEL, tags: levelTags(settings.MESSAGE_TAGS) };
  const source = { open: (request: HttpRequest) => new MessageStorage(request, options) };
  return {
    name: 'messages',
    processRequest(request) {
      request.messageSource = source;
      return undefined;
    },
    processResponse(request, response) {
      // A redirect keeps unread messages for the page it leads to; so does any other response.
      if (request.hasMessageStorage()) request.messageStorage!.update();
      return response;
    },
  };
}
