/** A developer's machine: technical error pages, static files served, mail printed to the console. */
import { defineSettings } from 'reinhardt/conf';
import base from './base.js';

export default defineSettings({
  ...base,
  DEBUG: true,
  // Empty with DEBUG on: localhost, 127.0.0.1 and [::1] only (DNS rebinding protection).
  ALLOWED_HOSTS: [],
  INTERNAL_IPS: ['127.0.0.1', '::1'],
  EMAIL_BACKEND: 'console',
  // The contact form mails MANAGERS: in development the message is printed on the console.
  MANAGERS: [['Coffeehouse manager', 'manager@coffeehouse.com']],
});
