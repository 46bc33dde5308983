import { getSettings } from 'reinhardt/conf';
import type { HttpRequest } from 'reinhardt/http';
import { render } from 'reinhardt/shortcuts';
import { featuredDrinks } from '../drinks/data.js';
import { STORES } from '../stores/data.js';

export function home(request: HttpRequest) {
  return render(request, 'index.html', { title: 'Welcome', drinks: featuredDrinks(), stores: STORES });
}

export function about(request: HttpRequest) {
  return render(request, 'about.html', { title: 'About us', hours: getSettings().COFFEEHOUSE_OPENING_HOURS });
}
