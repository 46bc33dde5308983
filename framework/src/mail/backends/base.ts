/**
 * What an email backend is: Django's BaseEmailBackend as an interface plus a small base class.
 *
 * `sendMessages()` returns how many messages were sent. Every built-in backend checks the headers
 * of *all* the messages it is handed before it opens anything, so a batch with one injected header
 * sends nothing at all.
 */
import type { Writable } from 'node:stream';
import type { LoadedSettings } from '../../conf/settings-types.js';
import { MailSendError, ReinhardtError } from '../../errors.js';
import type { EmailMessage } from '../message.js';

export interface EmailBackend {
  /** Swallow delivery failures (sendMessages then counts only what was sent). */
  readonly failSilently: boolean;
  /** The settings the backend was made with; messages sent through it default to them. */
  readonly settings?: LoadedSettings | undefined;
  /**
   * Make the backend ready to send several batches over one connection. Returns true when it
   * opened something new (and so the caller should close it), false when it was already open.
   */
  open(): Promise<boolean>;
  /** Release what open() took. Safe to call when nothing is open. */
  close(): Promise<void>;
  sendMessages(messages: readonly EmailMessage[]): Promise<number>;
}

/**
 * Options of getConnection(): each overrides the matching setting for this one backend, like
 * the keyword arguments of Django's get_connection().
 */
export interface EmailBackendOptions {
  failSilently?: boolean | undefined;
  /** console: where messages are written (default process.stdout). */
  stream?: Writable | NodeJS.WritableStream | undefined;
  /** filebased: EMAIL_FILE_PATH. */
  filePath?: string | undefined;
  /** smtp: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, ... */
  host?: string | undefined;
  port?: number | undefined;
  username?: string | undefined;
  password?: string | undefined;
  useTls?: boolean | undefined;
  useSsl?: boolean | undefined;
  /** Seconds; null waits as long as nodemailer's own defaults. */
  timeout?: number | null | undefined;
  sslCertfile?: string | null | undefined;
  sslKeyfile?: string | null | undefined;
}

export type EmailBackendClass = new (settings: LoadedSettings, options?: EmailBackendOptions) => EmailBackend;
export type EmailBackendFactory = (settings: LoadedSettings, options?: EmailBackendOptions) => EmailBackend;

/** A convenient parent for backends: keeps the settings and failSilently; open/close do nothing. */
export abstract class BaseEmailBackend implements EmailBackend {
  readonly failSilently: boolean;
  constructor(
    readonly settings: LoadedSettings,
    options: EmailBackendOptions = {},
  ) {
    this.failSilently = options.failSilently ?? false;
  }

  async open(): Promise<boolean> {
    return false;
  }

  async close(): Promise<void> {}

  abstract sendMessages(messages: readonly EmailMessage[]): Promise<number>;
}

/** Check every message's headers; throws BadHeaderError on the first injected value. */
export function checkAllHeaders(messages: readonly EmailMessage[]): void {
  for (const message of messages) message.checkHeaders();
}

/**
 * A failure of a local backend (console stream, file) as MailSendError; framework errors (a bad
 * header, a misconfiguration) keep their own type.
 */
export function asSendError(backend: string, err: unknown): Error {
  if (err instanceof ReinhardtError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new MailSendError(`The '${backend}' email backend failed to send a message: ${detail}`, { cause: err });
}

/** Django's separator after each message in the console and file backends. */
export const MESSAGE_SEPARATOR = `${'-'.repeat(79)}\n`;

/** The message as it reads in a terminal or a .log file: LF line ends, like Django's output. */
export function printable(rfc5322: string): string {
  return `${rfc5322.replace(/\r\n/g, '\n')}\n${MESSAGE_SEPARATOR}`;
}
