import { path } from 'reinhardt/urls';
import * as views from './views.js';

export const appName = 'contact';

export const urlpatterns = [path('', views.contact, { name: 'form' })];
