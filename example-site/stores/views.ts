import { Http404, type HttpRequest } from 'reinhardt/http';
import type { RouteParams } from 'reinhardt/urls';
import { render } from 'reinhardt/shortcuts';
import { findStore, STORES } from './data.js';

export function index(request: HttpRequest) {
  return render(request, 'stores/index.html', { title: 'Our stores', stores: STORES });
}

export function detail(request: HttpRequest, params: RouteParams) {
  const store = findStore(params.store_id as number);
  if (!store) throw new Http404(`No store with id ${String(params.store_id)}.`);
  return render(request, 'stores/detail.html', { title: store.name, store });
}
