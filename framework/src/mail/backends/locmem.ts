/**
 * 'locmem': Django's test backend. Sent messages are appended to `outbox`, which tests read and
 * empty with clearOutbox(). The array is never replaced, so `import { outbox }` stays live.
 */
import type { EmailMessage } from '../message.js';
import { BaseEmailBackend, asSendError, checkAllHeaders } from './base.js';

/** Every message sent through a 'locmem' backend in this process, oldest first. */
export const outbox: EmailMessage[] = [];

export function clearOutbox(): void {
  outbox.length = 0;
}

export class LocmemEmailBackend extends BaseEmailBackend {
  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    if (!messages.length) return 0;
    checkAllHeaders(messages);
    let sent = 0;
    for (const message of messages) {
      try {
        // Build the text as a real backend would, so a message that could not be sent
        // (an unreadable attachment, say) fails in tests too.
        await message.message();
      } catch (err) {
        if (!this.failSilently) throw asSendError('locmem', err);
        continue;
      }
      outbox.push(message);
      sent++;
    }
    return sent;
  }
}
