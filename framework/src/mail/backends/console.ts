/**
 * 'console': each message's RFC 5322 text on a stream (stdout by default), then a line of 79
 * dashes, as Django's console backend prints it. For development: nothing leaves the machine.
 */
import type { Writable } from 'node:stream';
import type { LoadedSettings } from '../../conf/settings-types.js';
import type { EmailMessage } from '../message.js';
import { BaseEmailBackend, type EmailBackendOptions, asSendError, checkAllHeaders, printable } from './base.js';

export class ConsoleEmailBackend extends BaseEmailBackend {
  readonly stream: Writable | NodeJS.WritableStream;

  constructor(settings: LoadedSettings, options: EmailBackendOptions = {}) {
    super(settings, options);
    this.stream = options.stream ?? process.stdout;
  }

  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    if (!messages.length) return 0;
    checkAllHeaders(messages);
    let sent = 0;
    try {
      for (const message of messages) {
        this.stream.write(printable(await message.message()));
        sent++;
      }
    } catch (err) {
      if (!this.failSilently) throw asSendError('console', err);
    }
    return sent;
  }
}
