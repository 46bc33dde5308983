/**
 * The production server behind `serve`: one in-process worker, or a node:cluster primary with N
 * workers sharing the port. Graceful stop on SIGTERM/SIGINT within SERVER_GRACEFUL_TIMEOUT,
 * dead workers replaced, crashes logged on 'reinhardt.server'.
 */
export { startWorker, type RunningWorker, type WorkerOptions } from './worker.js';
export { runPrimary, WorkerBootError, type PrimaryOptions } from './primary.js';
export { closeGracefully, type Closable } from './graceful.js';
export { pickFreePort } from './free-port.js';
export { listenErrorReason } from './listen-error.js';
export { PORT_ENV } from './messages.js';
