/**
 * getConnection(): the backend EMAIL_BACKEND names (or the `backend` option), made with the
 * settings. Like Django's get_connection(), the options override settings for this one backend.
 */
import type { ComponentRef, LoadedSettings } from '../conf/settings-types.js';
import { getSettings } from '../conf/settings-registry.js';
import type { EmailBackend, EmailBackendOptions } from './backends/base.js';
import { resolveEmailBackend } from './backends/registry.js';

export interface ConnectionOptions extends EmailBackendOptions {
  /** A short name or an imported backend, instead of EMAIL_BACKEND. */
  backend?: ComponentRef<unknown> | undefined;
}

/**
 * @example
 * const connection = getConnection(settings);
 * await connection.open();
 * try { await connection.sendMessages([first, second]); } finally { await connection.close(); }
 */
export function getConnection(settings?: LoadedSettings, options: ConnectionOptions = {}): EmailBackend {
  const active = settings ?? getSettings();
  const { backend, ...backendOptions } = options;
  const setting = backend === undefined ? 'EMAIL_BACKEND' : 'getConnection({ backend })';
  return resolveEmailBackend(backend ?? active.EMAIL_BACKEND, setting)(active, backendOptions);
}
