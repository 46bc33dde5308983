/**
 * reinhardt/mail: Django's django.core.mail on nodemailer.
 *
 * sendMail, sendMassMail, mailAdmins, mailManagers and EmailMessage send through the backend that
 * EMAIL_BACKEND names ('smtp', 'console', 'filebased', 'locmem', 'dummy', or an imported one).
 * A newline in any header value is refused with BadHeaderError before anything is sent.
 */
export { EmailMessage } from './message.js';
export { DEFAULT_ATTACHMENT_MIME_TYPE } from './compose.js';
export type {
  EmailMessageInit,
  EmailAttachment,
  EmailAlternative,
  AttachmentInput,
  AlternativeInput,
  MailContent,
  MailEnvelope,
} from './message.js';
export type { EmailAddress, NamedAddress } from './addresses.js';
export { personToAddress } from './addresses.js';
export { sendMail, sendMassMail, mailAdmins, mailManagers } from './send.js';
export type { SendMailOptions, ServerMailOptions, MassMailDatum } from './send.js';
export { getConnection, type ConnectionOptions } from './connection.js';
export { BaseEmailBackend } from './backends/base.js';
export type { EmailBackend, EmailBackendOptions, EmailBackendClass, EmailBackendFactory } from './backends/base.js';
export { registerEmailBackend, emailBackendNames } from './backends/registry.js';
export { outbox, clearOutbox, LocmemEmailBackend } from './backends/locmem.js';
export { SmtpEmailBackend } from './backends/smtp.js';
export { ConsoleEmailBackend } from './backends/console.js';
export { FileBasedEmailBackend } from './backends/filebased.js';
export { DummyEmailBackend } from './backends/dummy.js';
export { BadHeaderError, MailSendError } from '../errors.js';
