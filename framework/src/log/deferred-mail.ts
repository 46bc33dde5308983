/**
 * Mail that a request causes (error mail to ADMINS, broken-link mail to MANAGERS) leaves off the
 * request path. Django sends it inside the request, so a slow SMTP server slows the error page
 * and a dead one can fail it; here the request only queues a job, and the jobs run one at a time
 * after the current turn of the event loop (setImmediate), once the response has been written.
 *
 * - Building the message (the error report) happens in the job too, not in the request.
 * - A job that fails is logged on 'reinhardt.mail', which never mails (DEFAULT_LOGGING gives it
 *   its own console handler and no propagation, and the mail-admins handler refuses its records),
 *   so a dead mail server cannot start a loop.
 * - The queue is bounded: when a mail server is down and errors keep coming, later mail is
 *   dropped (and that is logged once) rather than growing memory without end.
 * - drainMail() gives the queue a bounded time to empty: the production server calls it (through
 *   flushLogging) on SIGTERM.
 */
import { getLogger } from './logger.js';

interface MailJob {
  /** What the mail is, for the failure record: "Error mail to ADMINS ('[Reinhardt] ERROR ...')". */
  readonly what: string;
  readonly send: () => Promise<unknown>;
}

export const MAX_QUEUED_MAIL = 200;

const queue: MailJob[] = [];
let scheduled = false;
let running: Promise<void> | undefined;
let droppedSinceEmpty = 0;
const idleWaiters = new Set<() => void>();

const mailLogger = getLogger('reinhardt.mail');

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  try {
    return String(err);
  } catch {
    return 'unknown error';
  }
}

/** Queue a mail to be sent after the current request's response. Never throws. */
export function deferMail(what: string, send: () => Promise<unknown>): void {
  if (queue.length >= MAX_QUEUED_MAIL) {
    if (droppedSinceEmpty++ === 0) {
      mailLogger.error(
        `${MAX_QUEUED_MAIL} mails are waiting to be sent, so ${what} was dropped, and so will further mail be until the queue empties. Is the mail server reachable?`,
      );
    }
    return;
  }
  queue.push({ what, send });
  schedule();
}

function schedule(): void {
  if (scheduled || running) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    running = runQueue().finally(() => {
      running = undefined;
      if (queue.length) schedule();
      else for (const wake of idleWaiters) wake();
    });
  });
}

async function runQueue(): Promise<void> {
  for (let job = queue.shift(); job; job = queue.shift()) {
    try {
      await job.send();
    } catch (err) {
      mailLogger.error(`${job.what} could not be sent: ${describeError(err)}`, { err });
    }
  }
  droppedSinceEmpty = 0;
}

/** Mail queued or being sent. */
export function pendingMail(): number {
  return queue.length + (running ? 1 : 0);
}

/** Wait until every queued mail has been sent (or has failed), at most `timeoutMs`. True if it emptied. */
export function drainMail(timeoutMs: number): Promise<boolean> {
  if (!queue.length && !running && !scheduled) return Promise.resolve(true);
  return new Promise((resolve) => {
    const wake = () => {
      if (queue.length || running || scheduled) return;
      clearTimeout(timer);
      idleWaiters.delete(wake);
      resolve(true);
    };
    const timer = setTimeout(() => {
      idleWaiters.delete(wake);
      resolve(false);
    }, timeoutMs);
    idleWaiters.add(wake);
  });
}
