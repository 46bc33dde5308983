#!/usr/bin/python3
"""Print the test vectors of reinhardt/signing, made by Django's own django.core.signing.

Run with Debian's Django 3.2 (apt-get install python3-django), not a virtualenv's:

    /usr/bin/python3 scripts/signing-vectors.py > test/fixtures/signing/django-3.2.json

Every value is made with a fixed secret and a fixed clock, so the output is the same on every
run and test/framework/signing/ can require Reinhardt to produce exactly these bytes.
"""
import json
import sys
import time

import django
from django.conf import settings

SECRET_KEY = 'reinhardt-vectors-0123456789abcdefghijklmnopqrstuvwxyz!@#$%^&*(-_=+)'
OTHER_KEY = 'another-secret-that-is-not-the-site-key-0123456789'
NOW = 1700000000.75  # 2023-11-14T22:13:20.75Z; TimestampSigner uses int(time.time())

settings.configure(SECRET_KEY=SECRET_KEY, DEFAULT_HASHING_ALGORITHM='sha256')
django.setup()
time.time = lambda: NOW  # the one clock django.core.signing reads

from django.core import signing  # noqa: E402  (after settings are configured)
from django.utils.crypto import salted_hmac  # noqa: E402

NESTED = {
    'drink': 'café crème',
    'sizes': ['small', 'medium', 'large'],
    'price': 3.5,
    'tiny': 0.00001,
    'smaller': 1.25e-10,
    'precise': 0.1 + 0.2,
    'count': 12,
    'negative': -7,
    'available': True,
    'discontinued': False,
    'note': None,
    'unicode': 'naïve — Zürich ☕ 日本 😀',
    'escapes': 'quote " backslash \\ slash / newline \n tab \t bell \x07 del \x7f',
    'nested': {'empty_list': [], 'empty_object': {}, 'list_of_objects': [{'a': 1}, {'b': [2, 3]}]},
}


def signer_vectors():
    cases = [
        ({}, 'hello'),
        ({}, ''),
        ({}, 'value:with:colons'),
        ({}, 'café ☕ 😀'),
        ({'salt': 'stores.favourite'}, 'hello'),
        ({'sep': '/'}, 'hello'),
        ({'sep': '~~'}, 'a~~b'),
        ({'algorithm': 'sha1'}, 'hello'),
        ({'algorithm': 'sha512'}, 'hello'),
        ({'salt': 'x', 'sep': '|', 'algorithm': 'sha512'}, 'salted | sha512'),
        ({'key': OTHER_KEY}, 'hello'),
    ]
    out = []
    for options, value in cases:
        signed = signing.Signer(**options).sign(value)
        out.append({'options': options, 'value': value, 'signed': signed})
    return out


def timestamp_vectors():
    cases = [
        ({}, 'hello'),
        ({'salt': 'newsletter.confirm'}, 'ann@example.com'),
        ({'sep': '/'}, 'hello'),
        ({'algorithm': 'sha1'}, 'hello'),
    ]
    out = []
    for options, value in cases:
        signer = signing.TimestampSigner(**options)
        out.append({'options': options, 'value': value, 'timestamp': signer.timestamp(), 'signed': signer.sign(value)})
    return out


def dumps_vectors():
    long_text = 'coffee, ' * 200
    cases = [
        ({}, 'hello'),
        ({}, NESTED),
        ({'salt': 'coffeehouse.cart'}, NESTED),
        ({}, [1, 2.5, 'three', None, True]),
        ({'compress': True}, {'menu': [long_text, long_text]}),
        ({'compress': True}, list(range(1, 60))),
        ({'compress': True}, 'short'),  # compression would not help: stored plain
        ({'key': OTHER_KEY, 'salt': 'x'}, {'a': 'b'}),
    ]
    out = []
    for options, value in cases:
        out.append({'options': options, 'value': value, 'signed': signing.dumps(value, **options)})
    # Whole floats: Python writes 2.0 and 1e+16, JavaScript has no float type to tell them from
    # the ints 2 and 10000000000000000. Reinhardt reads these; it cannot write the same bytes.
    value = {'whole_float': 2.0, 'big_float': 1e16}
    out.append({'options': {}, 'value': value, 'signed': signing.dumps(value), 'readOnly': True})
    return out


def cookie_vectors():
    cases = [
        ('favourite', 'latte', ''),
        ('favourite', 'latte', 'menu'),
        ('sessionid', 'value:with:colons', ''),
        ('lang', 'café', ''),
    ]
    out = []
    for name, value, salt in cases:
        signed = signing.get_cookie_signer(salt=name + salt).sign(value)
        out.append({'name': name, 'value': value, 'salt': salt, 'signed': signed})
    return out


def expired_vector():
    """The message Django gives for a value 100.5 seconds old read with max_age=60."""
    signed = signing.TimestampSigner().sign('hello')
    global NOW
    saved = NOW
    NOW = saved + 100
    time.time = lambda: NOW
    try:
        signing.TimestampSigner().unsign(signed, max_age=60)
        message = None
    except signing.SignatureExpired as error:
        message = str(error)
    finally:
        NOW = saved
        time.time = lambda: NOW
    return {'signed': signed, 'now': saved + 100, 'maxAge': 60, 'message': message}


def salted_hmac_vectors():
    cases = [
        ('django.contrib.sessions', 'value', SECRET_KEY, 'sha1'),
        ('django.contrib.sessions', 'value', SECRET_KEY, 'sha256'),
        ('salt', 'café', 'k' * 200, 'sha512'),  # a key longer than the hash's block size
    ]
    return [
        {'keySalt': s, 'value': v, 'secret': k, 'algorithm': a, 'hex': salted_hmac(s, v, k, algorithm=a).hexdigest()}
        for s, v, k, a in cases
    ]


def main():
    vectors = {
        'generatedBy': 'scripts/signing-vectors.py with Django %s' % django.get_version(),
        'secretKey': SECRET_KEY,
        'otherKey': OTHER_KEY,
        'now': NOW,
        'signer': signer_vectors(),
        'timestampSigner': timestamp_vectors(),
        'dumps': dumps_vectors(),
        'cookies': cookie_vectors(),
        'expired': expired_vector(),
        'saltedHmac': salted_hmac_vectors(),
    }
    json.dump(vectors, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
