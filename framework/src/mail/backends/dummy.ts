/** 'dummy': accepts every message and does nothing with it (headers are still checked). */
import type { EmailMessage } from '../message.js';
import { BaseEmailBackend, checkAllHeaders } from './base.js';

export class DummyEmailBackend extends BaseEmailBackend {
  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    checkAllHeaders(messages);
    return messages.length;
  }
}
