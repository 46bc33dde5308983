/**
 * Flash messages (Django's django.contrib.messages): a view adds a message, the next page shows
 * it once. Needs the 'sessions' and then the 'messages' middleware; templates read `it.messages`
 * through the 'messages' context processor.
 *
 * @example
 * import * as messages from 'reinhardt/messages';
 * messages.success(request, 'Thanks, we got your message.');
 * return redirect(request, 'contact:form');
 */
import { ImproperlyConfigured } from '../errors.js';
import type { HttpRequest } from '../http/request.js';
import { DEBUG, ERROR, INFO, SUCCESS, WARNING } from './levels.js';
import type { Message } from './message.js';
import type { MessageStorage } from './storage.js';

export interface AddOptions {
  /** Extra CSS-ready tags, before the level's ('dismissible'). */
  extraTags?: string;
  /** Do nothing (instead of throwing) when the 'messages' middleware is not installed. */
  failSilently?: boolean;
}

/** The request's storage, if the 'messages' middleware gave it one (made on first use). */
export function storageOf(request: HttpRequest): MessageStorage | undefined {
  return request.messageStorage;
}

/** The request's messages: iterate to show (and consume) them. Empty without the middleware. */
export function getMessages(request: HttpRequest): Iterable<Message> {
  return storageOf(request) ?? [];
}

export function addMessage(request: HttpRequest, level: number, message: string, options: AddOptions = {}): void {
  const storage = storageOf(request);
  if (!storage) {
    if (options.failSilently) return;
    throw new ImproperlyConfigured("Adding a message needs the 'messages' middleware: add 'sessions' and then 'messages' to MIDDLEWARE.");
  }
  storage.add(level, message, options.extraTags);
}

/** The lowest level recorded for this request (MESSAGE_LEVEL unless changed). */
export function getLevel(request: HttpRequest): number {
  return storageOf(request)?.level ?? INFO;
}

/** Record lower levels too for this request (setLevel(request, DEBUG)); false without the middleware. */
export function setLevel(request: HttpRequest, level: number): boolean {
  const storage = storageOf(request);
  if (!storage) return false;
  storage.level = level;
  return true;
}

export const debug = (request: HttpRequest, message: string, options?: AddOptions) => addMessage(request, DEBUG, message, options);
export const info = (request: HttpRequest, message: string, options?: AddOptions) => addMessage(request, INFO, message, options);
export const success = (request: HttpRequest, message: string, options?: AddOptions) => addMessage(request, SUCCESS, message, options);
export const warning = (request: HttpRequest, message: string, options?: AddOptions) => addMessage(request, WARNING, message, options);
export const error = (request: HttpRequest, message: string, options?: AddOptions) => addMessage(request, ERROR, message, options);
