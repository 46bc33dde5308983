/**
 * `sendtestemail [email ...] [--managers] [--admins]`: Django's command for proving that the mail
 * settings work. The addresses get one message with Django's subject and body; --managers and
 * --admins mail MANAGERS and ADMINS through mailManagers()/mailAdmins(), so the subject prefix and
 * SERVER_EMAIL are exercised too. All of it goes over one connection.
 *
 * Unlike Django, a delivery failure is a CommandError naming the server and the remedy rather
 * than a traceback, and --admins/--managers with an empty list says so on stderr instead of
 * silently sending nothing.
 */
import { hostname } from 'node:os';
import { CommandError, MailSendError } from '../../errors.js';
import { getConnection } from '../../mail/connection.js';
import { mailAdmins, mailManagers, sendMail } from '../../mail/send.js';
import { type ArgSpec, BaseCommand, type CommandContext, type OptionSpecs, type OptionValues } from '../base-command.js';

const options = {
  managers: { type: 'boolean', help: 'Send a test email to the addresses specified in settings.MANAGERS.' },
  admins: { type: 'boolean', help: 'Send a test email to the addresses specified in settings.ADMINS.' },
} as const satisfies OptionSpecs;

type Options = typeof options;

export const TEST_EMAIL_BODY = "If you're reading this, it was successful.";

export default class SendTestEmailCommand extends BaseCommand<Options> {
  readonly help = 'Sends a test email to the email addresses specified as arguments.';
  override readonly args: readonly ArgSpec[] = [
    { name: 'email', help: 'One or more email addresses to send a test email to.', optional: true, variadic: true },
  ];
  readonly options = options;

  async handle(
    args: Readonly<Record<string, string | string[] | undefined>>,
    opts: OptionValues<Options>,
    ctx: CommandContext,
  ): Promise<void> {
    const settings = this.requireSettings(ctx);
    const raw = args['email'];
    const recipients = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    if (!recipients.length && !opts.managers && !opts.admins) {
      throw new CommandError('You must specify some email recipients, or pass the --managers or --admin options.');
    }

    const subject = `Test email from ${hostname()} on ${djangoNow(new Date())}`;
    const connection = getConnection(settings);
    await connection.open();
    try {
      if (recipients.length) {
        await sendMail(subject, TEST_EMAIL_BODY, null, recipients, { connection, settings });
      }
      if (opts.managers) {
        if (!settings.MANAGERS.length) this.stderr.write('MANAGERS is empty: no test email was sent to the managers.');
        await mailManagers(subject, 'This email was sent to the site managers.', { connection, settings });
      }
      if (opts.admins) {
        if (!settings.ADMINS.length) this.stderr.write('ADMINS is empty: no test email was sent to the admins.');
        await mailAdmins(subject, 'This email was sent to the site admins.', { connection, settings });
      }
    } catch (err) {
      if (err instanceof MailSendError) throw new CommandError(err.message, { cause: err });
      throw err;
    } finally {
      await connection.close();
    }
  }
}

/** The moment as Django's str(timezone.now()) prints it: '2024-05-01 09:30:00.123000+00:00'. */
function djangoNow(d: Date): string {
  const iso = d.toISOString(); // 2024-05-01T09:30:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000+00:00`;
}
