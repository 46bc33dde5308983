/**
 * 'mail-admins': Django's AdminEmailHandler, with what Django lacks for a site in trouble.
 *
 * Options (Django's names): include_html (attach the HTML report as an alternative),
 * email_backend (a backend name or an imported backend, instead of EMAIL_BACKEND), and
 * storm_window (seconds, default 60; 0 mails every occurrence).
 *
 * - Off the request path: handle() only decides and queues (deferred-mail.ts); the report is
 *   built and the mail sent after the response. A slow or dead mail server never delays or fails
 *   the request; a failure is logged on 'reinhardt.mail'.
 * - Storms are grouped (storm.ts): the first occurrence is mailed at once, the rest of the window
 *   becomes one digest mail with the count.
 * - Records from 'reinhardt.mail' are never mailed, whatever LOGGING says: mailing about mail
 *   that cannot be sent would loop.
 * - With ADMINS empty the handler is inactive (Django's early return), so the level gate skips it.
 */
import { ImproperlyConfigured } from '../../errors.js';
import { getConnection } from '../../mail/connection.js';
import { mailAdmins } from '../../mail/send.js';
import { deferMail } from '../deferred-mail.js';
import { digestPreamble, digestSuffix, errorMailBody, errorMailSubject } from '../error-mail.js';
import { q } from '../problems.js';
import { type Digest, StormGuard, stormKey } from '../storm.js';
import type { HandlerContext, HandlerRecord, LogHandler } from '../types.js';

const DEFAULT_STORM_WINDOW_SECONDS = 60;

function isMailRecord(name: string): boolean {
  return name === 'reinhardt.mail' || name.startsWith('reinhardt.mail.');
}

export class MailAdminsHandler implements LogHandler {
  readonly active: boolean;
  private readonly ctx: HandlerContext;
  private readonly includeHtml: boolean;
  private readonly backend: unknown;
  private readonly windowMs: number;
  private readonly storm: StormGuard<HandlerRecord>;

  constructor(ctx: HandlerContext) {
    const { id, options, settings } = ctx;
    this.ctx = ctx;
    const includeHtml = options.include_html ?? false;
    if (typeof includeHtml !== 'boolean') throw new ImproperlyConfigured(`LOGGING handler ${q(id)}: include_html must be true or false.`);
    this.includeHtml = includeHtml;
    const window = options.storm_window ?? DEFAULT_STORM_WINDOW_SECONDS;
    if (typeof window !== 'number' || !Number.isFinite(window) || window < 0) {
      throw new ImproperlyConfigured(`LOGGING handler ${q(id)}: storm_window must be a number of seconds (0 to mail every occurrence); got ${JSON.stringify(window)}.`);
    }
    this.windowMs = window * 1000;
    this.backend = options.email_backend;
    // Resolve the backend now, so a wrong name fails at boot rather than in the first error mail.
    if (this.backend !== undefined) getConnection(settings, { backend: this.backend, failSilently: false });
    this.active = settings.ADMINS.length > 0;
    this.storm = new StormGuard<HandlerRecord>(this.windowMs, (digest) => this.queue(digest.last, digest));
  }

  handle(record: HandlerRecord): void {
    if (!this.active || isMailRecord(record.name)) return;
    if (this.storm.admit(stormKey(record), record, record.time)) this.queue(record);
  }

  private queue(record: HandlerRecord, digest?: Digest<HandlerRecord>): void {
    const settings = this.ctx.settings;
    const suffix = digest ? digestSuffix(digest, this.windowMs) : '';
    const subject = errorMailSubject(record, settings, suffix);
    const what = `${digest ? 'Digest error mail' : 'Error mail'} to ADMINS (subject ${JSON.stringify(settings.EMAIL_SUBJECT_PREFIX + subject)})`;
    deferMail(what, async () => {
      const body = await errorMailBody(record, settings, this.includeHtml);
      const text = digest ? digestPreamble(digest, this.windowMs) + body.text : body.text;
      const connection = this.backend === undefined ? undefined : getConnection(settings, { backend: this.backend, failSilently: false });
      await mailAdmins(subject, text, { html: body.html, settings, connection });
    });
  }

  /** Send the digests of open windows now (shutdown), then the queue is drained by flushLogging. */
  async flush(): Promise<void> {
    this.storm.flush();
  }

  close(): void {
    this.storm.flush();
    this.storm.close();
  }
}
