import { path } from 'reinhardt/urls';
import * as views from './views.js';

export const appName = 'drinks';

export const urlpatterns = [
  path('', views.menu, { name: 'menu' }),
  path('<slug:slug>/', views.detail, { name: 'detail' }),
];
