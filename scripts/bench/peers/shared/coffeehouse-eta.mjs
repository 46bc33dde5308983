// The coffeehouse's own template files and data, rendered with plain eta: what a site built
// directly on eta would do. Template lookup over the site's two template folders and the url()
// and static() helpers are the trivial functions such a site would write by hand.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SITE = path.resolve(here, '../../../../example-site');
const DIRS = [path.join(SITE, 'coffeehouse/templates'), path.join(SITE, 'drinks/templates')];

// The drinks list, exported from example-site/drinks/data.ts by run.sh (plain JS peers cannot
// import TypeScript without a loader, and a loader would skew their cold start).
export const DRINKS = JSON.parse(readFileSync(process.env.DRINKS_JSON ?? '/tmp/rh-bench/drinks.json', 'utf8'));

const ROUTES = {
  home: '/',
  about: '/about/',
  'drinks:menu': '/drinks/',
  'stores:index': '/stores/',
  'contact:form': '/contact/',
  'newsletter:signup': '/newsletter/',
};
const url = (name, params) => (name === 'drinks:detail' ? `/drinks/${params.slug}/` : ROUTES[name]);
const staticUrl = (p) => `/static/${p}`;

const eta = new Eta({ views: DIRS[0], cache: true });
// Lookup over the two folders, remembered per name (eta calls resolvePath on every render, for
// the page and for its layout): what a careful site on plain eta would write.
const resolved = new Map();
eta.resolvePath = (name) => {
  let file = resolved.get(name);
  if (file) return file;
  for (const dir of DIRS) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) {
      file = candidate;
      break;
    }
  }
  if (!file) throw new Error(`template not found: ${name}`);
  resolved.set(name, file);
  return file;
};

export function renderMenu() {
  return eta.render('drinks/menu.html', { title: 'Our menu', drinks: DRINKS, url, static: staticUrl });
}
export function render404() {
  return eta.render('404.html', { url, static: staticUrl });
}
