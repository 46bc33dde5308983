/**
 * The load-testing URLconf: the whole coffeehouse site plus `/hello/`, a route that does no work
 * of its own, so the benchmark can show the framework's fixed cost per request apart from
 * template rendering. Only coffeehouse.settings.load_testing uses it.
 */
import { HttpResponse } from 'reinhardt/http';
import { include, path } from 'reinhardt/urls';

const hello = () => new HttpResponse('Hello, world!', { contentType: 'text/plain; charset=utf-8' });

export const urlpatterns = [path('hello/', hello, { name: 'hello' }), path('', include('coffeehouse.urls'))];
