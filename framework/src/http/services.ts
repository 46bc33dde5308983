/**
 * What a booted site offers its requests (templates, URL resolver, settings), hung on the Fastify
 * instance so that several sites in one process (tests) never share them through globals.
 */
import type { FastifyRequest } from 'fastify';
import type { LoadedSettings } from '../conf/settings-types.js';
import { ImproperlyConfigured } from '../errors.js';
import type { TemplateEngine } from '../templates/index.js';
import type { UrlResolver } from '../urls/resolver.js';

export interface SiteServices {
  readonly settings: LoadedSettings;
  readonly resolver: UrlResolver;
  readonly templates: TemplateEngine | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    reinhardt: SiteServices;
  }
}

export function siteServices(raw: FastifyRequest): SiteServices {
  const services = (raw.server as { reinhardt?: SiteServices }).reinhardt;
  if (!services) throw new ImproperlyConfigured('This request does not belong to a Reinhardt site (createApp was not used).');
  return services;
}
