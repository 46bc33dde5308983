/**
 * Static files (DESIGN.md section 6): finders, storages, collectStatic(), the template URL
 * helper, DEBUG and STATIC_ROOT serving, and the nginx configuration for the separate web server.
 * The checks register themselves when `./checks.js` is imported (the check command does).
 */
export {
  AppDirectoriesFinder,
  BUILTIN_FINDERS,
  FileSystemFinder,
  LocationsFinder,
  findStatic,
  finderLocations,
  getFinders,
  searchedLocations,
  type FindResult,
  type ListOptions,
  type StaticEntry,
  type StaticFinder,
  type StaticLocation,
} from './finders.js';
export { collectStatic, type CollectOptions, type CollectResult } from './collect.js';
export { confirmation } from './collect-messages.js';
export {
  plainStorage,
  plainUrlResolver,
  type CollectedFile,
  type PostProcessContext,
  type PostProcessOutcome,
  type PostProcessResult,
  type StaticStorage,
} from './storage.js';
export { BUILTIN_STORAGES, getStorage } from './storages.js';
export { ManifestStorage, type ManifestStorageOptions } from './manifest-storage.js';
export { MANIFEST_NAME, MANIFEST_VERSION, manifestHash, parseManifest, readManifest, renderManifest, type Manifest } from './manifest-file.js';
export { createStaticUrlResolver, type StaticUrlResolver } from './url.js';
export { STATICFILES_APP } from './static-settings.js';
export {
  IMMUTABLE_CACHE_CONTROL,
  SHORT_CACHE_CONTROL,
  registerStaticRootServing,
  registerStaticServing,
  type StaticServingOptions,
} from './serve.js';
export { renderNginxConfig, type NginxConfigOptions } from './nginx.js';
export { contentHash, hashedName, HASHED_BASENAME } from './hashed-name.js';
export { fnmatch, matchesPatterns } from './fnmatch.js';
export { safeJoin } from './safe-path.js';
export { STATE_FILE } from './collect-state.js';
