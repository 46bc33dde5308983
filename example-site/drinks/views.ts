import { Http404, type HttpRequest } from 'reinhardt/http';
import { render } from 'reinhardt/shortcuts';
import type { RouteParams } from 'reinhardt/urls';
import { DRINKS } from './data.js';

export function menu(request: HttpRequest) {
  return render(request, 'drinks/menu.html', { title: 'Our menu', drinks: DRINKS });
}

export function detail(request: HttpRequest, params: RouteParams) {
  const drink = DRINKS.find((d) => d.slug === params.slug);
  if (!drink) throw new Http404(`No drink called '${String(params.slug)}'.`);
  return render(request, 'drinks/detail.html', { title: drink.name, drink });
}
