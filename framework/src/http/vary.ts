/**
 * Django's patch_vary_headers: add names to a response's Vary header, once each
 * (case-insensitively), keeping what is there. A page that depends on a cookie must say so, or a
 * shared cache could hand one visitor's page (with their CSRF token or flash message) to another.
 */
import type { HttpResponse } from './response.js';

export function patchVaryHeaders(response: HttpResponse, names: readonly string[]): void {
  const current = response.get('Vary');
  // The usual case (sessions, CSRF): one name on a response without Vary yet.
  if (!current && names.length === 1 && names[0] !== '*') {
    response.set('Vary', names[0]!);
    return;
  }
  const existing = current ? current.split(',').map((v) => v.trim()).filter(Boolean) : [];
  if (existing.includes('*')) return;
  const seen = new Set(existing.map((v) => v.toLowerCase()));
  for (const name of names) {
    if (name === '*') {
      response.set('Vary', '*');
      return;
    }
    if (!seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      existing.push(name);
    }
  }
  response.set('Vary', existing.join(', '));
}
