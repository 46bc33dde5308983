/**
 * EmailMessage: Django's EmailMessage and EmailMultiAlternatives in one class. It holds the parts
 * of a message; nodemailer's MailComposer turns them into RFC 5322 text (Reinhardt builds no MIME
 * by hand). Every header value is checked for newlines before the text is built or anything is
 * sent (see headers.ts).
 *
 * @example
 * const mail = new EmailMessage({ subject: 'Order 42', body: 'Thanks!', to: ['ann@example.com'] });
 * mail.attachAlternative('<p>Thanks!</p>', 'text/html');
 * mail.attachFile('/srv/invoices/42.pdf');
 * await mail.send();
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { LoadedSettings } from '../conf/settings-types.js';
import { getSettings } from '../conf/settings-registry.js';
import { type EmailAddress, isNamedAddress } from './addresses.js';
import type { EmailBackend } from './backends/base.js';
import { composeMessage } from './compose.js';
import { getConnection } from './connection.js';
import { forbidNewlines, forbidNewlinesInAddress } from './headers.js';

export type MailContent = string | Uint8Array;

export interface EmailAttachment {
  readonly filename: string;
  readonly content: MailContent;
  /** Guessed from the filename when the message is built if not given. */
  readonly mimetype?: string | undefined;
}

export interface EmailAlternative {
  readonly content: MailContent;
  readonly mimetype: string;
}

/** Django's tuples are accepted too: `[filename, content, mimetype?]` and `[content, mimetype]`. */
export type AttachmentInput = EmailAttachment | readonly [filename: string, content: MailContent, mimetype?: string];
export type AlternativeInput = EmailAlternative | readonly [content: MailContent, mimetype: string];

export interface EmailMessageInit {
  subject: string;
  body: string;
  /** Defaults to DEFAULT_FROM_EMAIL. */
  from?: EmailAddress | null | undefined;
  to?: readonly EmailAddress[] | undefined;
  cc?: readonly EmailAddress[] | undefined;
  bcc?: readonly EmailAddress[] | undefined;
  replyTo?: readonly EmailAddress[] | undefined;
  /**
   * Extra headers. From, To, Cc, Reply-To, Subject, Date and Message-ID given here replace what
   * the message would show in that header (the envelope still uses `from` and recipients()).
   */
  headers?: Readonly<Record<string, string>> | undefined;
  attachments?: readonly AttachmentInput[] | undefined;
  alternatives?: readonly AlternativeInput[] | undefined;
  /** Backend to send through; defaults to one made from the settings at send(). */
  connection?: EmailBackend | null | undefined;
  /** Defaults to the connection's settings, then getSettings(). */
  settings?: LoadedSettings | undefined;
}

/** What the SMTP backend hands the server: who it is from and who receives it (Bcc included). */
export interface MailEnvelope {
  readonly from: EmailAddress;
  readonly to: EmailAddress[];
}

export class EmailMessage {
  subject: string;
  body: string;
  from: EmailAddress;
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  replyTo: EmailAddress[];
  extraHeaders: Record<string, string>;
  attachments: EmailAttachment[] = [];
  alternatives: EmailAlternative[] = [];
  connection: EmailBackend | null;
  private readonly explicitSettings: LoadedSettings | undefined;

  constructor(init: EmailMessageInit) {
    this.explicitSettings = init.settings ?? init.connection?.settings;
    this.subject = init.subject;
    this.body = init.body ?? '';
    this.to = addressList('to', init.to);
    this.cc = addressList('cc', init.cc);
    this.bcc = addressList('bcc', init.bcc);
    this.replyTo = addressList('replyTo', init.replyTo);
    this.from = init.from || this.settings.DEFAULT_FROM_EMAIL;
    this.extraHeaders = { ...(init.headers ?? {}) };
    this.connection = init.connection ?? null;
    for (const a of init.attachments ?? []) {
      if (isTuple(a)) this.attach(a[0], a[1], a[2]);
      else this.attach(a.filename, a.content, a.mimetype);
    }
    for (const a of init.alternatives ?? []) {
      if (isTuple(a)) this.attachAlternative(a[0], a[1]);
      else this.attachAlternative(a.content, a.mimetype);
    }
  }

  /** The settings this message defaults from; read when needed so a message can be made early. */
  get settings(): LoadedSettings {
    return this.explicitSettings ?? getSettings();
  }

  /** Attach content under a filename; the type is guessed from the filename when not given. */
  attach(filename: string, content: MailContent, mimetype?: string): void {
    if (content === undefined || content === null) throw new TypeError(`attach('${filename}'): content is required.`);
    this.attachments.push({ filename, content, mimetype });
  }

  /** Attach a file from disk, read now (as Django does), named by its base name. */
  attachFile(path: string, mimetype?: string): void {
    this.attach(basename(path), readFileSync(path), mimetype);
  }

  /** Another representation of the body, typically `attachAlternative(html, 'text/html')`. */
  attachAlternative(content: MailContent, mimetype: string): void {
    if (content === undefined || content === null || !mimetype) {
      throw new TypeError('attachAlternative(content, mimetype): both are required.');
    }
    this.alternatives.push({ content, mimetype });
  }

  /** Everyone the message goes to: to, cc and bcc, empty entries left out. */
  recipients(): EmailAddress[] {
    return [...this.to, ...this.cc, ...this.bcc].filter((a) => (typeof a === 'string' ? a !== '' : a.address !== ''));
  }

  /** The SMTP envelope: Bcc recipients receive the message without appearing in its headers. */
  envelope(): MailEnvelope {
    return { from: this.from, to: this.recipients() };
  }

  /**
   * Refuse a CR or LF in any header value: subject, addresses (names included), extra header
   * names and values, and the filename and type of each attachment and alternative (they become
   * Content-Type and Content-Disposition). Throws BadHeaderError naming the header.
   */
  checkHeaders(): void {
    forbidNewlines('Subject', this.subject);
    forbidNewlinesInAddress('From', this.from);
    for (const [header, list] of [
      ['To', this.to],
      ['Cc', this.cc],
      ['Bcc', this.bcc],
      ['Reply-To', this.replyTo],
    ] as const) {
      for (const address of list) forbidNewlinesInAddress(header, address);
    }
    for (const [name, value] of Object.entries(this.extraHeaders)) {
      // A newline in the name is as good as one in the value; name it escaped so it reads on one line.
      forbidNewlines(JSON.stringify(name).slice(1, -1), name);
      forbidNewlines(name, String(value));
    }
    for (const a of this.attachments) {
      forbidNewlines('Content-Disposition', a.filename);
      if (a.mimetype !== undefined) forbidNewlines('Content-Type', a.mimetype);
    }
    for (const a of this.alternatives) forbidNewlines('Content-Type', a.mimetype);
  }

  /** The message as RFC 5322 bytes (CRLF line ends), as an SMTP server receives it. */
  async messageBytes(): Promise<Buffer> {
    this.checkHeaders();
    return composeMessage(this);
  }

  /** The message as RFC 5322 text. There is no Bcc header: Bcc lives only in the envelope. */
  async message(): Promise<string> {
    return (await this.messageBytes()).toString('utf8');
  }

  /**
   * Send through `connection`, or a backend made from the settings. A message with no recipients
   * sends nothing and returns 0 (as Django). Headers are checked before any connection exists.
   * `failSilently` configures the backend made here; a `connection` keeps its own setting.
   */
  async send(options: { failSilently?: boolean } = {}): Promise<number> {
    this.checkHeaders();
    if (!this.recipients().length) return 0;
    const connection = this.connection ?? getConnection(this.settings, { failSilently: options.failSilently ?? false });
    return connection.sendMessages([this]);
  }
}

function addressList(field: string, value: readonly EmailAddress[] | undefined): EmailAddress[] {
  if (value === undefined || value === null) return [];
  // Django's check: a bare string would be read as a list of one-letter addresses.
  if (typeof value === 'string') throw new TypeError(`EmailMessage '${field}' must be a list of addresses, not a string.`);
  for (const a of value) {
    if (typeof a !== 'string' && !isNamedAddress(a)) {
      throw new TypeError(`EmailMessage '${field}' entries must be strings or { name, address } objects (got ${JSON.stringify(a)}).`);
    }
  }
  return [...value];
}

function isTuple<T, U extends readonly unknown[]>(value: T | U): value is U {
  return Array.isArray(value);
}
