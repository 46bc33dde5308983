/**
 * Storm grouping for error mail. When the same error happens again and again (a broken database
 * makes every request fail), Django mails ADMINS once per request and buries the inbox. Here the
 * first occurrence is mailed at once; occurrences of the same error within the window that
 * follows are only counted, and when the window ends one digest mail says how many there were.
 * Every occurrence still reaches the other handlers: only the mail is grouped.
 *
 * "The same error" is its key: the error's type, where it was raised (the first stack frame) and
 * the message with its variable parts (numbers, ids, quoted values) blanked, so
 * "Internal Server Error: /orders/12/" and ".../orders/13/" are one storm, and a scan of bad Host
 * headers is one storm too.
 */
import type { HandlerRecord } from './types.js';

/** Numbers and hex ids become '#', quoted values '…': what varies between occurrences of one error. */
export function messageTemplate(text: string): string {
  return text.replace(/'[^']*'|"[^"]*"/g, "'…'").replace(/\b[0-9a-f]*[0-9][0-9a-f]*\b/gi, '#');
}

/** The first "at ..." line of a stack: where the error was raised. */
export function firstFrame(stack: string | undefined): string {
  if (!stack) return '';
  const line = stack.split('\n').find((l) => /^\s+at /.test(l));
  return line ? line.trim() : '';
}

export function stormKey(record: HandlerRecord): string {
  const err = record.errInfo;
  const parts = err
    ? [record.name, err.type, firstFrame(err.stack), messageTemplate(err.message), messageTemplate(record.msg)]
    : [record.name, record.level, messageTemplate(record.msg)];
  return parts.join('\u0000');
}

export interface Digest<T> {
  /** The last occurrence counted. */
  readonly last: T;
  /** Occurrences after the first (the one that was mailed at once). */
  readonly count: number;
  readonly firstTime: number;
  readonly lastTime: number;
}

interface Window<T> {
  readonly start: number;
  count: number;
  last: T | undefined;
  lastTime: number;
  readonly timer: NodeJS.Timeout;
}

export class StormGuard<T> {
  private readonly windows = new Map<string, Window<T>>();

  constructor(
    private readonly windowMs: number,
    private readonly onDigest: (digest: Digest<T>) => void,
    /** Distinct errors tracked at once; past this, new errors are mailed without grouping. */
    private readonly maxKeys = 1000,
  ) {}

  /** True when this occurrence should be mailed now; false when it was counted for a digest. */
  admit(key: string, item: T, now = Date.now()): boolean {
    if (this.windowMs <= 0) return true;
    const open = this.windows.get(key);
    if (open) {
      open.count++;
      open.last = item;
      open.lastTime = now;
      return false;
    }
    if (this.windows.size >= this.maxKeys) return true;
    // Unref'd: a pending digest must not keep a finished process alive. flush() sends it on shutdown.
    const timer = setTimeout(() => this.end(key), this.windowMs);
    timer.unref();
    this.windows.set(key, { start: now, count: 0, last: undefined, lastTime: now, timer });
    return true;
  }

  private end(key: string): void {
    const window = this.windows.get(key);
    if (!window) return;
    clearTimeout(window.timer);
    this.windows.delete(key);
    if (window.count > 0 && window.last !== undefined) {
      this.onDigest({ last: window.last, count: window.count, firstTime: window.start, lastTime: window.lastTime });
    }
  }

  /** End every window now: digests for those that counted something. */
  flush(): void {
    for (const key of [...this.windows.keys()]) this.end(key);
  }

  /** Forget every window without digests. */
  close(): void {
    for (const window of this.windows.values()) clearTimeout(window.timer);
    this.windows.clear();
  }
}
