/**
 * The words of error mail, as Django's AdminEmailHandler writes them:
 *   subject  "ERROR (EXTERNAL IP): Internal Server Error: /path" (mailAdmins adds
 *            EMAIL_SUBJECT_PREFIX), "internal" when the client is in INTERNAL_IPS, and just
 *            "ERROR: message" for a record without a request;
 *   body     the message, a blank line, then the plain-text technical report (traceback, request,
 *            settings, all masked and redacted), the same report the DEBUG page shows.
 * Newlines in the subject are escaped (a header cannot hold them) and the subject is cut to 989
 * characters: RFC 5322 allows 998 per line, minus "Subject: ".
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import type { HttpRequest } from '../http/request.js';
import type { Digest } from './storm.js';
import type { HandlerRecord } from './types.js';

export const MAX_SUBJECT_LENGTH = 989;

/** Escape line breaks (and other control characters) and cut to the header limit. */
export function formatSubject(subject: string, suffix = ''): string {
  // eslint-disable-next-line no-control-regex
  const escaped = subject.replace(/[\x00-\x1f\x7f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return escaped.slice(0, Math.max(0, MAX_SUBJECT_LENGTH - suffix.length)) + suffix;
}

/** A request as far as error mail needs one; anything else counts as "no request". */
export function attachedRequest(record: HandlerRecord): HttpRequest | undefined {
  const r = record.request;
  if (r === null || typeof r !== 'object') return undefined;
  return 'method' in r && 'headers' in r ? (r as HttpRequest) : undefined;
}

function clientIsInternal(request: HttpRequest, settings: LoadedSettings): boolean {
  const addr = request.remoteAddr;
  return typeof addr === 'string' && settings.INTERNAL_IPS.includes(addr);
}

/** The subject without EMAIL_SUBJECT_PREFIX (mailAdmins adds it). */
export function errorMailSubject(record: HandlerRecord, settings: LoadedSettings, suffix = ''): string {
  const request = attachedRequest(record);
  let subject: string;
  try {
    subject = request
      ? `${record.level} (${clientIsInternal(request, settings) ? 'internal' : 'EXTERNAL'} IP): ${record.msg}`
      : `${record.level}: ${record.msg}`;
  } catch {
    // A request whose address cannot be read still gets its mail, like Django's fallback.
    subject = `${record.level}: ${record.msg}`;
  }
  return formatSubject(subject, suffix);
}

/** A record logged without an error still gets a report; its "exception" is the message. */
class LoggedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoggedMessage';
    this.stack = `LoggedMessage: ${message}`;
  }
}

export interface ErrorMailBody {
  text: string;
  html: string | undefined;
}

/**
 * The body. The report comes from http/debug, imported when the first mail is built: logging sits
 * below http, and like Django's AdminEmailHandler (which imports django.views.debug) only the
 * mail needs the report.
 */
export async function errorMailBody(record: HandlerRecord, settings: LoadedSettings, includeHtml: boolean): Promise<ErrorMailBody> {
  const { technicalTextReport, technicalHtmlReport } = await import('../http/debug/index.js');
  const request = attachedRequest(record);
  const err = record.err ?? new LoggedMessage(record.msg);
  const text = `${record.msg}\n\n${technicalTextReport(request, err, settings)}`;
  const html = includeHtml ? technicalHtmlReport(request, err, settings) : undefined;
  return { text, html };
}

/** The digest's suffix for the subject: " (99 more times in 60 s)". */
export function digestSuffix(digest: Digest<unknown>, windowMs: number): string {
  const seconds = Math.round(windowMs / 100) / 10;
  return ` (${digest.count} more ${digest.count === 1 ? 'time' : 'times'} in ${seconds} s)`;
}

/** The digest's opening paragraph, before the last occurrence's full body. */
export function digestPreamble(digest: Digest<unknown>, windowMs: number): string {
  const seconds = Math.round(windowMs / 100) / 10;
  const n = digest.count;
  return (
    `The error below happened ${n} more ${n === 1 ? 'time' : 'times'} in the ${seconds} seconds after the mail about its first occurrence ` +
    `(${new Date(digest.firstTime).toISOString()}); the last was at ${new Date(digest.lastTime).toISOString()}. ` +
    'Only the first occurrence and this summary were mailed; every occurrence is in the logs. The last occurrence:\n\n'
  );
}
