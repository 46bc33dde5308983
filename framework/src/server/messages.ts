/** What the primary and its workers say to each other over the cluster IPC channel. */
export const SHUTDOWN = 'reinhardt:shutdown';
/** Environment variable carrying the port the primary chose, so every worker binds the same one. */
export const PORT_ENV = 'REINHARDT_SERVE_PORT';

export function isShutdownMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { cmd?: unknown }).cmd === SHUTDOWN;
}
