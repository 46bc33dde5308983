import { path } from 'reinhardt/urls';
import * as views from './views.js';

export const appName = 'newsletter';

export const urlpatterns = [
  path('', views.signup, { name: 'signup' }),
  path('confirm/<str:token>/', views.confirm, { name: 'confirm' }),
];
