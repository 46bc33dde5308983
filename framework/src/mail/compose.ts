/**
 * Turning an EmailMessage into RFC 5322 bytes with nodemailer's MailComposer (no MIME is built by
 * hand). Extra headers that name a standard field (From, To, Cc, Reply-To, Subject, Date,
 * Message-ID) replace that field instead of adding a second one, as Django's do.
 */
import type { MailComposerAlternative, MailComposerAttachment, MailComposerOptions } from 'nodemailer/lib/mail-composer';
import type { EmailAlternative, EmailAttachment, EmailMessage, MailContent } from './message.js';

/** Django's DEFAULT_ATTACHMENT_MIME_TYPE. */
export const DEFAULT_ATTACHMENT_MIME_TYPE = 'application/octet-stream';

type ComposerModule = typeof import('nodemailer/lib/mail-composer');
type MimeFuncsModule = typeof import('nodemailer/lib/mime-funcs');

/**
 * nodemailer is loaded on the first message built, not when reinhardt/mail is imported: most
 * processes boot, serve and never mail, and boot time is measured.
 */
let nodemailerParts: Promise<[ComposerModule, MimeFuncsModule]> | undefined;
function loadNodemailer(): Promise<[ComposerModule, MimeFuncsModule]> {
  nodemailerParts ??= Promise.all([import('nodemailer/lib/mail-composer'), import('nodemailer/lib/mime-funcs')]);
  return nodemailerParts;
}

/** The message's RFC 5322 bytes (CRLF line ends). Bcc is left out of the headers by nodemailer. */
export async function composeMessage(message: EmailMessage): Promise<Buffer> {
  const [{ default: MailComposer }, mime] = await loadNodemailer();
  return new MailComposer(composerOptions(message, mime)).compile().build();
}

function composerOptions(message: EmailMessage, mime: MimeFuncsModule): MailComposerOptions {
  const options: MailComposerOptions = {
    from: message.from,
    to: message.to.length ? message.to : undefined,
    cc: message.cc.length ? message.cc : undefined,
    replyTo: message.replyTo.length ? message.replyTo : undefined,
    subject: message.subject,
    text: message.body,
    alternatives: message.alternatives.map((a) => alternativePart(a)),
    attachments: message.attachments.map((a) => attachmentPart(a, mime)),
    headers: {},
    // The parts are strings and bytes; never let a content object read a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.extraHeaders)) {
    switch (name.toLowerCase()) {
      case 'from':
        options.from = value;
        break;
      case 'to':
        options.to = value;
        break;
      case 'cc':
        options.cc = value;
        break;
      case 'reply-to':
        options.replyTo = value;
        break;
      case 'subject':
        options.subject = value;
        break;
      case 'date':
        options.date = value;
        break;
      case 'message-id':
        options.messageId = value;
        break;
      default:
        headers[name] = value;
    }
  }
  options.headers = headers;
  return options;
}

/** Text parts say their charset; nodemailer encodes strings as UTF-8. */
function withCharset(mimetype: string): string {
  return mimetype.toLowerCase().startsWith('text/') && !/;\s*charset=/i.test(mimetype) ? `${mimetype}; charset=utf-8` : mimetype;
}

function toBuffer(content: MailContent): string | Buffer {
  return typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

function alternativePart(a: EmailAlternative): MailComposerAlternative {
  return { content: toBuffer(a.content), contentType: withCharset(a.mimetype) };
}

/**
 * Django's rule for text attachments given as bytes: decode them as UTF-8, and when they are
 * not valid UTF-8, send them as application/octet-stream rather than mislabelled text.
 */
function attachmentPart(a: EmailAttachment, mime: MimeFuncsModule): MailComposerAttachment {
  let mimetype = a.mimetype || mime.detectMimeType(a.filename) || DEFAULT_ATTACHMENT_MIME_TYPE;
  let content = toBuffer(a.content);
  if (mimetype.toLowerCase().startsWith('text/') && typeof content !== 'string') {
    try {
      content = new TextDecoder('utf-8', { fatal: true }).decode(content);
      mimetype = withCharset(mimetype);
    } catch {
      mimetype = DEFAULT_ATTACHMENT_MIME_TYPE;
    }
  } else if (typeof content === 'string') {
    mimetype = withCharset(mimetype);
  }
  return { filename: a.filename, content, contentType: mimetype };
}
