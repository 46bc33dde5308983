from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.static import serve


def menu(request):
    return render(request, 'drinks/menu.html', {'title': 'Our menu', 'drinks': settings.DRINKS})


def hello(request):
    return HttpResponse('Hello, world!', content_type='text/plain; charset=utf-8')


def placeholder(request):
    return HttpResponse('')


urlpatterns = [
    path('', placeholder, name='home'),
    path('about/', placeholder, name='about'),
    path('stores/', placeholder, name='stores-index'),
    path('drinks/', menu, name='drinks-menu'),
    path('drinks/<slug:slug>/', placeholder, name='drinks-detail'),
    path('contact/', placeholder, name='contact'),
    path('newsletter/', placeholder, name='newsletter'),
    path('hello/', hello),
    # Django's docs say not to serve files this way in production; gunicorn has nothing better.
    path('static/<path:path>', serve, {'document_root': settings.STATIC_ROOT}),
]
