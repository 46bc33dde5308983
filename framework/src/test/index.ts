/** reinhardt/test: a test client, the mail outbox, and settings overrides for site authors' tests. */
export { TestClient, TEST_HOST, type ClientResponse, type RequestOptions } from './client.js';
export { overrideSettings, activateForTest } from './settings.js';
export { outbox, clearOutbox } from '../mail/index.js';
export { configureSettings, loadSettings } from '../conf/load-settings.js';
