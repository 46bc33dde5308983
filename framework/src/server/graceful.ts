/**
 * Graceful close of one listening app: stop accepting, let in-flight requests finish within the
 * grace period, close keep-alive connections as soon as they go idle, and cut whatever is still
 * open when the grace period ends. Bounded on purpose: a stuck request must never keep a deploy
 * (or a replaced worker) waiting forever.
 */
import type { Server } from 'node:http';

export interface Closable {
  readonly fastify: { readonly server: Server; close(): PromiseLike<unknown> };
}

/**
 * Close `app` within `graceMs`. Resolves true when every request finished in time, false when
 * connections had to be cut.
 */
export async function closeGracefully(app: Closable, graceMs: number): Promise<boolean> {
  const server = app.fastify.server;
  // A keep-alive connection that finishes its in-flight request becomes idle; closing idle ones
  // repeatedly, not only once, is what lets the process leave before the grace period ends.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, graceMs));
  });
  try {
    // fastify.close() closes the listening socket first (new connections are refused), answers
    // requests that arrive on open connections with 503 + Connection: close, and waits for the
    // in-flight ones.
    const finished = await Promise.race([Promise.resolve(app.fastify.close()).then(() => true as const), deadline]);
    if (!finished) server.closeAllConnections();
    return finished;
  } finally {
    clearInterval(sweep);
    clearTimeout(timer);
  }
}
