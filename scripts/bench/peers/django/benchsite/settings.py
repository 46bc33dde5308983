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
INSTALLED_APPS = []
DATABASES = {}
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
    'django.middleware.common.BrokenLinkEmailsMiddleware',
]
TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [HERE / 'templates']}]
STATIC_ROOT = str(SITE / 'static')
STATIC_URL = '/static/'
EMAIL_BACKEND = 'django.core.mail.backends.dummy.EmailBackend'
LOGGING_CONFIG = None
USE_TZ = True
with open(os.environ.get('DRINKS_JSON', '/tmp/rh-bench/drinks.json')) as f:
    DRINKS = json.load(f)
