/** reinhardt/messages: one-time notices for the next page (Django's django.contrib.messages). */
export { addMessage, debug, info, success, warning, error, getMessages, getLevel, setLevel, type AddOptions } from './api.js';
export { DEBUG, INFO, SUCCESS, WARNING, ERROR, DEFAULT_LEVELS, DEFAULT_TAGS } from './levels.js';
export { Message } from './message.js';
export type { MessageStorage } from './storage.js';
