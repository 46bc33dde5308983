/** reinhardt/urls: path(), include(), reverse(). */
export { path, include, type View, type RouteParams, type UrlConfModule, type UrlEntry, type UrlPattern } from './patterns.js';
export { reverse } from './active.js';
export { registerConverter, type Converter } from './converters.js';
export { UrlResolver, buildResolver, type CompiledRoute, type ResolverMatch } from './resolver.js';
