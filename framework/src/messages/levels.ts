/**
 * Message levels, Django's numbers, so a level stored by one site means the same to the other.
 * MESSAGE_TAGS in settings adds or renames the CSS-ready tags.
 */
export const DEBUG = 10;
export const INFO = 20;
export const SUCCESS = 25;
export const WARNING = 30;
export const ERROR = 40;

export const DEFAULT_LEVELS = Object.freeze({ DEBUG, INFO, SUCCESS, WARNING, ERROR });

export const DEFAULT_TAGS: Readonly<Record<number, string>> = Object.freeze({
  [DEBUG]: 'debug',
  [INFO]: 'info',
  [SUCCESS]: 'success',
  [WARNING]: 'warning',
  [ERROR]: 'error',
});
