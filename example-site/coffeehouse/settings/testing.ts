/** The test servers (host names test*): production behaviour, mail kept in memory. */
import { defineSettings } from 'reinhardt/conf';
import base from './base.js';

export default defineSettings({
  ...base,
  DEBUG: false,
  ALLOWED_HOSTS: ['testserver', 'localhost', '127.0.0.1', '[::1]'],
  ADMINS: [['Test admin', 'admin@test.coffeehouse.com']],
  MANAGERS: [['Test manager', 'manager@test.coffeehouse.com']],
  EMAIL_BACKEND: 'locmem',
});
