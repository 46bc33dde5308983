/**
 * 'smtp': delivery through nodemailer's pooled SMTP transport.
 *
 * - One pool of one connection per backend: every message a backend sends between open() and
 *   close() travels over the same SMTP connection (Django keeps one smtplib connection the same
 *   way). A backend that was not opened by its caller opens for one batch and closes after it.
 * - EMAIL_TIMEOUT (seconds) bounds connecting, the greeting and every later read, so a dead or
 *   stalled server fails in seconds instead of nodemailer's minutes.
 * - EMAIL_USE_TLS means STARTTLS is required (no silent fall-back to plain text); EMAIL_USE_SSL
 *   means implicit TLS. With neither, the session stays plain as in Django: nodemailer would
 *   otherwise try STARTTLS whenever offered and fail on servers with self-signed certificates.
 * - Every message is built, and every header checked, before the connection is opened.
 * - Failures become MailSendError naming the server and the likely remedy (the password never
 *   appears), unless failSilently.
 */
import { readFileSync } from 'node:fs';
import type { Transporter } from 'nodemailer';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';
import type { LoadedSettings } from '../../conf/settings-types.js';
import { ImproperlyConfigured, MailSendError } from '../../errors.js';
import type { EmailMessage, MailEnvelope } from '../message.js';
import { BaseEmailBackend, type EmailBackendOptions, checkAllHeaders } from './base.js';

/** nodemailer codes of failures that end the connection: the rest of a batch would fail too. */
const CONNECTION_FAILURES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EPROTOCOL']);

export class SmtpEmailBackend extends BaseEmailBackend {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly useTls: boolean;
  readonly useSsl: boolean;
  /** Seconds, or null for nodemailer's own (long) defaults. */
  readonly timeout: number | null;
  readonly sslCertfile: string | null;
  readonly sslKeyfile: string | null;
  /** Kept off the enumerable fields so that logging or inspecting the backend never shows it. */
  readonly #password: string;
  #transport: Transporter | null = null;

  constructor(settings: LoadedSettings, options: EmailBackendOptions = {}) {
    super(settings, options);
    this.host = options.host || settings.EMAIL_HOST;
    this.port = options.port || settings.EMAIL_PORT;
    this.username = options.username ?? settings.EMAIL_HOST_USER;
    this.#password = options.password ?? settings.EMAIL_HOST_PASSWORD;
    this.useTls = options.useTls ?? settings.EMAIL_USE_TLS;
    this.useSsl = options.useSsl ?? settings.EMAIL_USE_SSL;
    this.timeout = options.timeout === undefined ? settings.EMAIL_TIMEOUT : options.timeout;
    this.sslCertfile = options.sslCertfile === undefined ? settings.EMAIL_SSL_CERTFILE : options.sslCertfile;
    this.sslKeyfile = options.sslKeyfile === undefined ? settings.EMAIL_SSL_KEYFILE : options.sslKeyfile;
    if (this.useTls && this.useSsl) {
      // Django's message: STARTTLS on top of implicit TLS cannot work.
      throw new ImproperlyConfigured(
        'EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set one of those settings to True.',
      );
    }
  }

  /** Make the pool. The TCP connection itself is made by the first message sent. */
  override async open(): Promise<boolean> {
    if (this.#transport) return false;
    const options = this.transportOptions();
    const { default: nodemailer } = await import('nodemailer');
    const transport = nodemailer.createTransport(options);
    // The mailer re-emits transport errors as 'error' events; unheard, one would end the process.
    // Failures reach the sender through sendMail()'s rejection instead.
    transport.on('error', () => {});
    this.#transport = transport;
    return true;
  }

  override async close(): Promise<void> {
    const transport = this.#transport;
    this.#transport = null;
    // Idle connections say QUIT and close; one in the middle of a message finishes it first.
    transport?.close();
  }

  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    if (!messages.length) return 0;
    checkAllHeaders(messages);
    const outgoing: { envelope: MailEnvelope; raw: Buffer }[] = [];
    for (const message of messages) {
      if (!message.recipients().length) continue;
      outgoing.push({ envelope: message.envelope(), raw: await message.messageBytes() });
    }
    if (!outgoing.length) return 0;

    const created = await this.open();
    let sent = 0;
    try {
      for (const { envelope, raw } of outgoing) {
        const transport = this.#transport;
        if (!transport) throw new MailSendError(`The SMTP connection to ${this.host}:${this.port} was closed while messages were being sent.`);
        try {
          await transport.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw });
          sent++;
        } catch (err) {
          if (!this.failSilently) throw this.sendError(err);
          if (CONNECTION_FAILURES.has(errorCode(err))) break;
        }
      }
    } finally {
      if (created) await this.close();
    }
    return sent;
  }

  private transportOptions(): SMTPPoolOptions & { pool: true } {
    const ms = this.timeout === null ? undefined : Math.max(1, Math.round(this.timeout * 1000));
    const options: SMTPPoolOptions & { pool: true } = {
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
      // A connection that drops mid-message is retried once, not five times with back-off.
      maxRequeues: 1,
      host: this.host,
      port: this.port,
      secure: this.useSsl,
      requireTLS: this.useTls,
      ignoreTLS: !this.useTls && !this.useSsl,
      connectionTimeout: ms,
      greetingTimeout: ms,
      socketTimeout: ms,
      dnsTimeout: ms,
    };
    // Django logs in only when both are set.
    if (this.username && this.#password) options.auth = { user: this.username, pass: this.#password };
    if (this.sslCertfile || this.sslKeyfile) {
      options.tls = {
        ...(this.sslCertfile ? { cert: readSetting('EMAIL_SSL_CERTFILE', this.sslCertfile) } : {}),
        ...(this.sslKeyfile ? { key: readSetting('EMAIL_SSL_KEYFILE', this.sslKeyfile) } : {}),
      };
    }
    return options;
  }

  private sendError(err: unknown): MailSendError {
    const code = errorCode(err);
    const detail = err instanceof Error ? err.message : String(err);
    const server = `${this.host}:${this.port}`;
    const remedy = remedyFor(code, this.timeout);
    return new MailSendError(`Could not send email through the SMTP server ${server}${code ? ` (${code})` : ''}: ${detail}.${remedy ? ` ${remedy}` : ''}`, {
      cause: err,
    });
  }
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function remedyFor(code: string, timeout: number | null): string {
  switch (code) {
    case 'ESOCKET':
    case 'ECONNECTION':
    case 'EDNS':
      return 'Is the mail server running and reachable? Check EMAIL_HOST and EMAIL_PORT.';
    case 'ETIMEDOUT':
      return `The server did not answer within EMAIL_TIMEOUT (${timeout === null ? 'not set' : `${timeout} s`}). Check EMAIL_HOST and EMAIL_PORT, and that the port speaks SMTP.`;
    case 'EAUTH':
    case 'ENOAUTH':
      return 'Check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD.';
    case 'ETLS':
      return 'Check EMAIL_USE_TLS (STARTTLS, usually port 587) and EMAIL_USE_SSL (implicit TLS, usually port 465) against what the server offers.';
    case 'EENVELOPE':
      return 'The server refused the sender or the recipients.';
    case 'EMESSAGE':
      return 'The server refused the message.';
    default:
      return '';
  }
}

function readSetting(setting: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ImproperlyConfigured(`${setting}: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}
