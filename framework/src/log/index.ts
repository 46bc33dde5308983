/**
 * reinhardt/log: getLogger() for application code; LOGGING decides where records go.
 * configureLogging(settings) applies LOGGING over DEFAULT_LOGGING; flushLogging() and
 * closeLogging() let queued mail leave on shutdown.
 */
export { getLogger, Logger, LEVELS, type LevelName, type LogRecord, type LogOptions } from './logger.js';
export { configureLogging, flushLogging, closeLogging, type ConfigureLoggingOptions } from './configure.js';
export { DEFAULT_LOGGING } from './default-logging.js';
export { registerLogHandler, registerLogFilter, registerLogFormatter, logHandlerNames, logFilterNames, logFormatterNames } from './registry.js';
export { constantFilter } from './filters.js';
export type {
  LoggingConfig,
  HandlerConfig,
  FilterConfig,
  FormatterConfig,
  LoggerConfig,
  LogHandler,
  JsonLineWriter,
  LogHandlerClass,
  LogHandlerFactory,
  HandlerContext,
  HandlerRecord,
  ErrorInfo,
  LogFilter,
  FilterFactory,
  FilterContext,
  Formatter,
  FormatterFactory,
  FormatterContext,
  LogEntry,
  TextStream,
} from './types.js';
