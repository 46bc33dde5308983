/**
 * 'filebased': each message in its own file in EMAIL_FILE_PATH, named like Django's
 * `%Y%m%d-%H%M%S-<id>.log`, holding what the console backend would print. The folder is created
 * when missing; a path that is a file, or a folder that cannot be written, is refused when the
 * backend is made, not at the first message.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { LoadedSettings } from '../../conf/settings-types.js';
import { ImproperlyConfigured } from '../../errors.js';
import type { EmailMessage } from '../message.js';
import { BaseEmailBackend, type EmailBackendOptions, asSendError, checkAllHeaders, printable } from './base.js';

export class FileBasedEmailBackend extends BaseEmailBackend {
  readonly filePath: string;

  constructor(settings: LoadedSettings, options: EmailBackendOptions = {}) {
    super(settings, options);
    const configured = options.filePath ?? settings.EMAIL_FILE_PATH;
    if (!configured) {
      throw new ImproperlyConfigured(
        "EMAIL_FILE_PATH is not set: the 'filebased' email backend writes each message to a file in that folder. " +
          "Set it to an absolute path, e.g. EMAIL_FILE_PATH: join(BASE_DIR, 'sent-mail').",
      );
    }
    this.filePath = resolve(configured);
    try {
      mkdirSync(this.filePath, { recursive: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        throw new ImproperlyConfigured(
          `Path for saving email messages exists, but is not a directory: ${this.filePath} (EMAIL_FILE_PATH). Point it at a folder.`,
          { cause: err },
        );
      }
      throw new ImproperlyConfigured(
        `Could not create directory for saving email messages: ${this.filePath} (EMAIL_FILE_PATH): ${(err as Error).message}`,
        { cause: err },
      );
    }
    try {
      accessSync(this.filePath, constants.W_OK);
    } catch (err) {
      throw new ImproperlyConfigured(
        `Could not write to directory: ${this.filePath} (EMAIL_FILE_PATH). Give the server's user write access or choose another folder.`,
        { cause: err },
      );
    }
  }

  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    if (!messages.length) return 0;
    checkAllHeaders(messages);
    let sent = 0;
    try {
      for (const message of messages) {
        await this.writeOne(printable(await message.message()));
        sent++;
      }
    } catch (err) {
      if (!this.failSilently) throw asSendError('filebased', err);
    }
    return sent;
  }

  /** 'wx' never overwrites: on the (unlikely) clash of a random id, draw another. */
  private async writeOne(text: string): Promise<void> {
    for (;;) {
      const file = join(this.filePath, `${timestamp(new Date())}-${randomBytes(6).toString('hex')}.log`);
      try {
        await writeFile(file, text, { flag: 'wx' });
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }
}

/** Local time as %Y%m%d-%H%M%S, like Django's datetime.now().strftime(). */
function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
