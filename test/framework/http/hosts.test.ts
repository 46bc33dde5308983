import t from 'tap';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import type { LoadedSettings } from '../../../framework/src/conf/settings-types.js';
import { DisallowedHost, ImproperlyConfigured } from '../../../framework/src/errors.js';
import {
  createHostValidator,
  disallowedHostMessage,
  effectiveAllowedHosts,
  getRawHost,
  isSameDomain,
  isSecureRequest,
  isValidHost,
  normaliseHeaderName,
  pyRepr,
  splitDomainPort,
  validateHost,
} from '../../../framework/src/http/hosts.js';

t.test('splitDomainPort', async (t) => {
  const cases: [string, [string, string]][] = [
    ['example.com', ['example.com', '']],
    ['EXAMPLE.Com', ['example.com', '']],
    ['example.com:8000', ['example.com', '8000']],
    ['example.com.', ['example.com', '']],
    ['example.com.:80', ['example.com', '80']],
    ['example.com..', ['example.com.', '']],
    ['1.2.3.4:80', ['1.2.3.4', '80']],
    ['[::1]', ['[::1]', '']],
    ['[::1]:8000', ['[::1]', '8000']],
    ['[ABC::1]', ['[abc::1]', '']],
    ['[::ffff:127.0.0.1]:80', ['[::ffff:127.0.0.1]', '80']],
    ['[::1', ['', '']],
    ['::1', ['', '']],
    ['[:]', ['', '']],
    ['[::1]:', ['', '']],
    ['www.coffeehouse.com@evil.com', ['', '']],
    ['x@y', ['', '']],
    ['a_b.com', ['', '']],
    ['a b', ['', '']],
    ['exa mple.com', ['', '']],
    ['a:1:2', ['', '']],
    ['example.com:', ['', '']],
    ['example.com:abc', ['', '']],
    [':80', ['', '']],
    ['.', ['', '']],
    ['', ['', '']],
    // Stricter than Django (see hosts.ts): a final newline and non-ASCII are invalid.
    ['example.com\n', ['', '']],
    ['ex\u00e9.com', ['', '']],
    ['example.\u212Aom', ['', '']],
  ];
  for (const [host, expected] of cases) {
    t.same(splitDomainPort(host), expected, JSON.stringify(host));
    t.equal(isValidHost(host), expected[0] !== '', `isValidHost(${JSON.stringify(host)})`);
  }
});

t.test('isSameDomain and validateHost', async (t) => {
  const cases: [host: string, pattern: string, same: boolean][] = [
    ['example.com', 'example.com', true],
    ['example.com', 'EXAMPLE.COM', true],
    ['example.com', '.example.com', true],
    ['www.example.com', '.example.com', true],
    ['a.b.example.com', '.Example.com', true],
    ['badexample.com', '.example.com', false],
    ['example.com.evil.com', '.example.com', false],
    ['www.example.com', 'example.com', false],
    ['example.com', '', false],
    ['example.com', '*', false],
  ];
  for (const [host, pattern, same] of cases) t.equal(isSameDomain(host, pattern), same, `${host} ~ ${pattern}`);
  t.ok(validateHost('anything.at.all', ['*']));
  t.ok(validateHost('shop.coffeehouse.com', ['example.com', '.coffeehouse.com']));
  t.notOk(validateHost('coffeehouse.com.evil.com', ['.coffeehouse.com']));
  t.notOk(validateHost('example.com', []));
});

t.test('effectiveAllowedHosts (Table 5-1, narrowed against DNS rebinding)', async (t) => {
  t.same(effectiveAllowedHosts(configureSettings({ DEBUG: true })), ['.localhost', '127.0.0.1', '[::1]']);
  t.same(effectiveAllowedHosts(configureSettings({ DEBUG: true, ALLOWED_HOSTS: ['x.com'] })), ['x.com']);
  t.same(effectiveAllowedHosts(configureSettings({ DEBUG: false })), []);
  t.same(effectiveAllowedHosts(configureSettings({ DEBUG: false, ALLOWED_HOSTS: ['.coffeehouse.com'] })), ['.coffeehouse.com']);
});

t.test('createHostValidator: the table of cases', async (t) => {
  const production = createHostValidator(
    configureSettings({ DEBUG: false, ALLOWED_HOSTS: ['.coffeehouse.com', 'coffeehouse.org', '[::1]', '10.0.0.5'] }),
  );
  const allowed = [
    'coffeehouse.com',
    'www.coffeehouse.com',
    'WWW.CoffeeHouse.COM',
    'coffeehouse.com:8000',
    'coffeehouse.com.',
    'shop.coffeehouse.com.:443',
    'coffeehouse.org',
    '[::1]',
    '[::1]:8000',
    '10.0.0.5:80',
  ];
  for (const host of allowed) t.equal(production(host), host, `${host} allowed (returned as sent)`);

  const refused: [string, string][] = [
    ['evil.com', "Invalid HTTP_HOST header: 'evil.com'. You may need to add 'evil.com' to ALLOWED_HOSTS."],
    ['Evil.com:8000', "Invalid HTTP_HOST header: 'Evil.com:8000'. You may need to add 'evil.com' to ALLOWED_HOSTS."],
    [
      'coffeehouse.com.evil.com',
      "Invalid HTTP_HOST header: 'coffeehouse.com.evil.com'. You may need to add 'coffeehouse.com.evil.com' to ALLOWED_HOSTS.",
    ],
    ['www.coffeehouse.org', "Invalid HTTP_HOST header: 'www.coffeehouse.org'. You may need to add 'www.coffeehouse.org' to ALLOWED_HOSTS."],
    ['[::2]:80', "Invalid HTTP_HOST header: '[::2]:80'. You may need to add '[::2]' to ALLOWED_HOSTS."],
    [
      'www.coffeehouse.com@evil.com',
      "Invalid HTTP_HOST header: 'www.coffeehouse.com@evil.com'. The domain name provided is not valid according to RFC 1034/1035.",
    ],
    ['x@y', "Invalid HTTP_HOST header: 'x@y'. The domain name provided is not valid according to RFC 1034/1035."],
    ['my_site.coffeehouse.com', "Invalid HTTP_HOST header: 'my_site.coffeehouse.com'. The domain name provided is not valid according to RFC 1034/1035."],
    ['coffee house.com', "Invalid HTTP_HOST header: 'coffee house.com'. The domain name provided is not valid according to RFC 1034/1035."],
    ['a:1:2', "Invalid HTTP_HOST header: 'a:1:2'. The domain name provided is not valid according to RFC 1034/1035."],
    ['', "Invalid HTTP_HOST header: ''. The domain name provided is not valid according to RFC 1034/1035."],
    [
      'coffeehouse.com\r\nX-Injected: 1',
      "Invalid HTTP_HOST header: 'coffeehouse.com\\r\\nX-Injected: 1'. The domain name provided is not valid according to RFC 1034/1035.",
    ],
  ];
  for (const [host, message] of refused) {
    t.throws(() => production(host), { name: 'DisallowedHost', code: 'RH_ERR_DISALLOWED_HOST', message }, JSON.stringify(host));
    // A cached refusal answers the same way the second time.
    t.throws(() => production(host), DisallowedHost);
  }

  const debugEmpty = createHostValidator(configureSettings({ DEBUG: true }));
  for (const host of ['localhost', 'localhost:8000', 'app.localhost', '127.0.0.1:8000', '[::1]', '[::1]:8000']) {
    t.equal(debugEmpty(host), host, `${host} allowed with DEBUG and no ALLOWED_HOSTS`);
  }
  for (const host of ['evil.com', '127.0.0.2', 'localhost.evil.com', '192.168.1.1']) {
    t.throws(() => debugEmpty(host), DisallowedHost, `${host} refused with DEBUG and no ALLOWED_HOSTS`);
  }

  const productionEmpty = createHostValidator(configureSettings({ DEBUG: false }));
  for (const host of ['localhost', '127.0.0.1', '[::1]', 'example.com']) t.throws(() => productionEmpty(host), DisallowedHost, host);

  const any = createHostValidator(configureSettings({ ALLOWED_HOSTS: ['*'] }));
  t.equal(any('whatever.example:1'), 'whatever.example:1');
  t.throws(() => any('bad host'), /not valid according to RFC 1034\/1035/, "'*' still refuses invalid hosts");
});

t.test('the last allowed host is remembered per validator, and only an allowed one', async (t) => {
  const coffee = createHostValidator(configureSettings({ ALLOWED_HOSTS: ['coffeehouse.com'] }));
  const tea = createHostValidator(configureSettings({ ALLOWED_HOSTS: ['tea.example'] }));
  t.equal(coffee('coffeehouse.com'), 'coffeehouse.com');
  t.equal(coffee('coffeehouse.com'), 'coffeehouse.com', 'again, from the last allowed host');
  t.throws(() => tea('coffeehouse.com'), DisallowedHost, "another validator's allowed host is not this one's");
  t.throws(() => coffee('COFFEEHOUSE.COM.evil'), DisallowedHost);
  t.equal(coffee('coffeehouse.com'), 'coffeehouse.com');
  const fresh = createHostValidator(configureSettings({ ALLOWED_HOSTS: ['coffeehouse.com'] }));
  t.throws(() => fresh(undefined as unknown as string), 'no host before any allowed one is never taken for the last allowed');
});

t.test('the validator cache stays bounded under a flood of distinct hosts', async (t) => {
  const settings = configureSettings({ ALLOWED_HOSTS: ['.coffeehouse.com'] });
  const validate = createHostValidator(settings, { cacheLimit: 100 });
  let largest = 0;
  for (let i = 0; i < 20_000; i++) {
    try {
      validate(`h${i}.evil.com`);
    } catch {
      // refused, as it should be
    }
    largest = Math.max(largest, validate.cacheSize);
  }
  t.ok(largest <= 100, `refused hosts: the cache never held more than ${largest} entries`);

  // A million distinct hosts; '*' accepts them all, so no exception slows the loop down.
  const anyHost = createHostValidator(configureSettings({ ALLOWED_HOSTS: ['*'] }), { cacheLimit: 100 });
  for (let i = 0; i < 1_000_000; i++) {
    anyHost(`h${i}.example.com`);
    if (anyHost.cacheSize > largest) largest = anyHost.cacheSize;
  }
  t.ok(largest <= 100, `a million distinct hosts: the cache never held more than ${largest} entries`);
  t.equal(validate('www.coffeehouse.com'), 'www.coffeehouse.com', 'real hosts still answer after the flood');

  const long = `${'a'.repeat(5000)}.coffeehouse.com`;
  const before = validate.cacheSize;
  t.equal(validate(long), long, 'a long host is validated');
  t.equal(validate.cacheSize, before, 'but not cached');

  const defaults = createHostValidator(settings);
  for (let i = 0; i < 5000; i++) defaults(`${i}.coffeehouse.com`);
  t.ok(defaults.cacheSize <= 256, 'the default limit is a few hundred entries');
});

t.test('getRawHost', async (t) => {
  const plain = configureSettings({});
  const forwarded = configureSettings({ USE_X_FORWARDED_HOST: true, USE_X_FORWARDED_PORT: true });
  const headers = { host: 'internal:8000', 'x-forwarded-host': 'coffeehouse.com, proxy.internal', 'x-forwarded-port': '8443' };

  t.equal(getRawHost(headers, plain, { secure: false }), 'internal:8000', 'X-Forwarded-Host ignored unless USE_X_FORWARDED_HOST');
  t.equal(getRawHost(headers, forwarded, { secure: false }), 'coffeehouse.com', 'left-most X-Forwarded-Host');
  t.equal(getRawHost({ host: 'a.com' }, forwarded, { secure: false }), 'a.com', 'Host when no X-Forwarded-Host');
  t.equal(getRawHost({ host: '' }, plain, { secure: false, serverName: 's' }), '', 'an empty Host is still the Host');

  // No Host header (HTTP/1.0): the server's own name, with the port unless it is the scheme's default.
  t.equal(getRawHost({}, plain, { secure: false, serverName: 'srv', serverPort: 80 }), 'srv');
  t.equal(getRawHost({}, plain, { secure: false, serverName: 'srv', serverPort: 8000 }), 'srv:8000');
  t.equal(getRawHost({}, plain, { secure: true, serverName: 'srv', serverPort: '443' }), 'srv');
  t.equal(getRawHost({}, plain, { secure: true, serverName: 'srv', serverPort: 80 }), 'srv:80');
  t.equal(getRawHost({ 'x-forwarded-port': '8443' }, plain, { secure: true, serverName: 'srv', serverPort: 443 }), 'srv', 'X-Forwarded-Port ignored unless USE_X_FORWARDED_PORT');
  t.equal(getRawHost({ 'x-forwarded-port': '8443' }, forwarded, { secure: true, serverName: 'srv', serverPort: 443 }), 'srv:8443');
  t.equal(getRawHost({ 'x-forwarded-port': '443' }, forwarded, { secure: true, serverName: 'srv', serverPort: 8000 }), 'srv');
  t.equal(getRawHost({}, plain, { secure: false }), '', 'nothing to go on gives an empty (invalid) host');
  // The socket is asked for its address only when there is no Host (each read is a system call).
  let reads = 0;
  const socket = {
    get localAddress() {
      reads++;
      return '10.0.0.5';
    },
    get localPort() {
      reads++;
      return 8000;
    },
  };
  t.equal(getRawHost({ host: 'a.com' }, plain, { secure: false, socket }), 'a.com');
  t.equal(reads, 0, 'a request with a Host never reads the socket');
  t.equal(getRawHost({}, plain, { secure: false, socket }), '10.0.0.5:8000', 'without Host: the address and port of the socket');
  t.equal(getRawHost({}, plain, { secure: false, serverName: 'srv', serverPort: 80, socket }), 'srv', 'given values win over the socket');
  t.equal(getRawHost({ 'x-forwarded-host': ['first.com', 'second.com'] }, forwarded, { secure: false }), 'first.com', 'a list takes its first value');
});

t.test('isSecureRequest and SECURE_PROXY_SSL_HEADER', async (t) => {
  const none = configureSettings({});
  t.equal(isSecureRequest({ 'x-forwarded-proto': 'https' }, none, false), false, 'header ignored without the setting');
  t.equal(isSecureRequest({}, none, true), true, 'the socket decides without the setting');

  const proxied = configureSettings({ SECURE_PROXY_SSL_HEADER: ['x-forwarded-proto', 'https'] });
  t.equal(isSecureRequest({ 'x-forwarded-proto': 'https' }, proxied, false), true);
  t.equal(isSecureRequest({ 'x-forwarded-proto': 'http' }, proxied, true), false, 'the header wins over the socket when present');
  t.equal(isSecureRequest({ 'x-forwarded-proto': 'https, http' }, proxied, false), true, 'left-most value');
  t.equal(isSecureRequest({ 'x-forwarded-proto': 'http, https' }, proxied, false), false, 'a client cannot append its way to https');
  t.equal(isSecureRequest({ 'x-forwarded-proto': ' https ' }, proxied, false), true, 'whitespace trimmed');
  t.equal(isSecureRequest({ 'x-forwarded-proto': 'HTTPS' }, proxied, false), false, 'the value compares exactly, like Django');
  t.equal(isSecureRequest({}, proxied, true), true, 'absent header: the socket decides');

  const djangoStyle = configureSettings({ SECURE_PROXY_SSL_HEADER: ['HTTP_X_FORWARDED_PROTO', 'https'] });
  t.equal(isSecureRequest({ 'x-forwarded-proto': 'https' }, djangoStyle, false), true, "Django's META name is accepted");
  t.equal(normaliseHeaderName('HTTP_X_FORWARDED_SSL'), 'x-forwarded-ssl');
  t.equal(normaliseHeaderName('X-Forwarded-Proto'), 'x-forwarded-proto');

  for (const bad of [['x-forwarded-proto'], ['a', 'b', 'c'], 'x-forwarded-proto', [1, 2]]) {
    const settings = { SECURE_PROXY_SSL_HEADER: bad } as unknown as Pick<LoadedSettings, 'SECURE_PROXY_SSL_HEADER'>;
    t.throws(() => isSecureRequest({}, settings, false), ImproperlyConfigured, `malformed: ${JSON.stringify(bad)}`);
  }
});

t.test('messages quote like Python repr', async (t) => {
  t.equal(pyRepr('evil.com'), "'evil.com'");
  t.equal(pyRepr("it's"), '"it\'s"');
  t.equal(pyRepr('a"b\'c'), "'a\"b\\'c'");
  t.equal(pyRepr('x\ny\\'), "'x\\ny\\\\'");
  t.equal(pyRepr('\u2028\x7f\ue000'), "'\\u2028\\x7f\\ue000'");
  t.equal(pyRepr('é😀'), "'é😀'");
  t.equal(disallowedHostMessage('ok.com', ['ok.com']), null);
});
