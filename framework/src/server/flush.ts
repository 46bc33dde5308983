/**
 * Let queued error mail and buffered log files leave before the process exits. reinhardt/log
 * owns the queue; this only asks it, bounded by the time left in the grace period.
 */
type Flusher = (options: { timeoutMs?: number }) => Promise<boolean>;

/** Resolves true when everything queued left within `timeoutMs`. */
export async function flushLogsAndMail(timeoutMs: number): Promise<boolean> {
  // Looked up at run time so the server does not pin the logging module's shape: an older
  // reinhardt/log without closeLogging simply has nothing to flush.
  const log = (await import('../log/index.js')) as Record<string, unknown>;
  const close = (log.closeLogging ?? log.flushLogging) as Flusher | undefined;
  if (typeof close !== 'function') return true;
  try {
    return await close({ timeoutMs: Math.max(0, timeoutMs) });
  } catch {
    return false;
  }
}
