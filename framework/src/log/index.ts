/** reinhardt/log: getLogger() for application code; LOGGING decides where records go. */
export { getLogger, Logger, LEVELS, type LevelName, type LogRecord, type LogOptions } from './logger.js';
