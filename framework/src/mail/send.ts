/**
 * The one-call helpers: sendMail, sendMassMail, mailAdmins, mailManagers (Django's send_mail,
 * send_mass_mail, mail_admins, mail_managers). Each takes its settings from the `settings`
 * option, else the connection's, else getSettings().
 *
 * As in Django, `failSilently` configures the backend a helper makes itself; with a
 * `connection` given, the connection's own failSilently applies and passing both is a TypeError.
 */
import type { LoadedSettings } from '../conf/settings-types.js';
import { getSettings } from '../conf/settings-registry.js';
import { type EmailAddress, personToAddress } from './addresses.js';
import type { EmailBackend } from './backends/base.js';
import { getConnection } from './connection.js';
import { EmailMessage } from './message.js';

export interface SendMailOptions {
  failSilently?: boolean | undefined;
  /** An HTML alternative to the plain-text message. */
  html?: string | undefined;
  connection?: EmailBackend | undefined;
  settings?: LoadedSettings | undefined;
}

export type MassMailDatum = readonly [subject: string, message: string, fromEmail: EmailAddress | null, recipientList: readonly EmailAddress[]];

function settingsFor(options: { connection?: EmailBackend | undefined; settings?: LoadedSettings | undefined }): LoadedSettings {
  return options.settings ?? options.connection?.settings ?? getSettings();
}

function connectionFor(
  settings: LoadedSettings,
  options: { connection?: EmailBackend | undefined; failSilently?: boolean | undefined },
): EmailBackend {
  if (!options.connection) return getConnection(settings, { failSilently: options.failSilently ?? false });
  if (options.failSilently !== undefined) {
    throw new TypeError('failSilently cannot be used with a connection. Pass failSilently to getConnection() instead.');
  }
  return options.connection;
}

/**
 * One message to a list of recipients, who all see each other in To. `fromEmail` null means
 * DEFAULT_FROM_EMAIL. Returns the number of messages sent (0 or 1).
 *
 * @example
 * await sendMail('Welcome', 'Hello!', null, ['ann@example.com'], { html: '<p>Hello!</p>' });
 */
export async function sendMail(
  subject: string,
  message: string,
  fromEmail: EmailAddress | null,
  recipientList: readonly EmailAddress[],
  options: SendMailOptions = {},
): Promise<number> {
  const settings = settingsFor(options);
  const mail = new EmailMessage({ subject, body: message, from: fromEmail, to: recipientList, settings });
  if (options.html) mail.attachAlternative(options.html, 'text/html');
  mail.checkHeaders();
  if (!mail.recipients().length) return 0;
  mail.connection = connectionFor(settings, options);
  return mail.send();
}

/**
 * Several messages over one connection. Every header of every message is checked first: one bad
 * message and none is sent. Returns the number sent.
 */
export async function sendMassMail(
  datatuple: readonly MassMailDatum[],
  options: Omit<SendMailOptions, 'html'> = {},
): Promise<number> {
  const settings = settingsFor(options);
  const connection = connectionFor(settings, options);
  const messages = datatuple.map(
    ([subject, body, from, to]) => new EmailMessage({ subject, body, from, to, connection, settings }),
  );
  return connection.sendMessages(messages);
}

export interface ServerMailOptions extends SendMailOptions {
  /**
   * Reply-To addresses (past Django's mail_managers): a contact form sends to MANAGERS from
   * SERVER_EMAIL, and a reply should reach the visitor who wrote.
   */
  replyTo?: readonly EmailAddress[] | undefined;
}

/**
 * Mail the people in ADMINS: subject prefixed with EMAIL_SUBJECT_PREFIX, sent from SERVER_EMAIL.
 * An empty ADMINS sends nothing and returns 0. Names in ADMINS appear in the To header (Django
 * drops them); a name with a newline is refused like any header value.
 */
export function mailAdmins(subject: string, message: string, options: ServerMailOptions = {}): Promise<number> {
  return mailServerPeople('ADMINS', subject, message, options);
}

/** Mail the people in MANAGERS, as mailAdmins does ADMINS. */
export function mailManagers(subject: string, message: string, options: ServerMailOptions = {}): Promise<number> {
  return mailServerPeople('MANAGERS', subject, message, options);
}

async function mailServerPeople(
  setting: 'ADMINS' | 'MANAGERS',
  subject: string,
  message: string,
  options: ServerMailOptions,
): Promise<number> {
  const settings = settingsFor(options);
  const people = settings[setting];
  if (!people.length) return 0;
  const mail = new EmailMessage({
    subject: `${settings.EMAIL_SUBJECT_PREFIX}${subject}`,
    body: message,
    from: settings.SERVER_EMAIL,
    to: people.map((person) => personToAddress(person, setting)),
    replyTo: options.replyTo,
    settings,
  });
  if (options.html) mail.attachAlternative(options.html, 'text/html');
  mail.checkHeaders();
  mail.connection = connectionFor(settings, options);
  return mail.send();
}
