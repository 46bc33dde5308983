# Django 3.2 peer: the coffeehouse menu, /hello/ and the 404 page, production settings
# (DEBUG off, cached template loader), the same middleware the Reinhardt rows run.
import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SITE = HERE.parent.parent.parent.parent / 'example-site'
DEBUG = False
SECRET_KEY = 'bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz'
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
ROOT_URLCONF = 'benchsite.urls'
INSTALLED_APPS = ['django.contrib.sessions', 'django.contrib.messages']
DATABASES = {}
# The coffeehouse's production middleware, in Django's order; sessions in signed cookies as
# Reinhardt's default, so neither side needs a database.
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
    'django.middleware.common.BrokenLinkEmailsMiddleware',
]
SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'
MESSAGE_STORAGE = 'django.contrib.messages.storage.session.SessionStorage'
TEMPLATES = [{
    'BACKEND': 'django.template.backends.django.DjangoTemplates',
    'DIRS': [HERE / 'templates'],
    'OPTIONS': {'context_processors': [
        'django.template.context_processors.csrf',
        'django.contrib.messages.context_processors.messages',
    ]},
}]
STATIC_ROOT = str(SITE / 'static')
STATIC_URL = '/static/'
EMAIL_BACKEND = 'django.core.mail.backends.dummy.EmailBackend'
LOGGING_CONFIG = None
USE_TZ = True
with open(os.environ.get('DRINKS_JSON', '/tmp/rh-bench/drinks.json')) as f:
    DRINKS = json.load(f)
