import { path } from 'reinhardt/urls';
import * as views from './views.js';

export const appName = 'stores';

export const urlpatterns = [
  path('', views.index, { name: 'index' }),
  path('<int:store_id>/', views.detail, { name: 'detail' }),
];
