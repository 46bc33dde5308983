/** The coffeehouse URLconf (ROOT_URLCONF): the site's pages and each app's URLs. */
import { include, path } from 'reinhardt/urls';
import * as views from './views.js';

export const urlpatterns = [
  path('', views.home, { name: 'home' }),
  path('about/', views.about, { name: 'about' }),
  path('stores/', include('stores.urls')),
  path('drinks/', include('drinks.urls')),
  path('contact/', include('contact.urls')),
  path('newsletter/', include('newsletter.urls')),
];
