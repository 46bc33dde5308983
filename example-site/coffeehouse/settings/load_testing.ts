/**
 * Option 3 of the settings chapter (Listing 5-9): a module for load tests, chosen with
 * `--settings coffeehouse.settings.load_testing`. Production behaviour on loopback, with the full
 * production middleware, mail discarded.
 */
import { defineSettings } from 'reinhardt/conf';
import base from './base.js';

export default defineSettings({
  ...base,
  DEBUG: false,
  ALLOWED_HOSTS: ['127.0.0.1', 'localhost', '[::1]'],
  ADMINS: [['Load test admin', 'admin@load.coffeehouse.com']],
  MANAGERS: [['Load test manager', 'manager@load.coffeehouse.com']],
  EMAIL_BACKEND: 'dummy',
});
