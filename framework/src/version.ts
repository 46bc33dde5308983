/** The framework's version, from its package.json (read once). */
import { frameworkPackage } from './package-root.js';

export function frameworkVersion(): string {
  return frameworkPackage().version;
}
