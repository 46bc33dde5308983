/**
 * The 'broken-link-emails' middleware: its rules decided side by side with Django 3.2's own
 * BrokenLinkEmailsMiddleware (Debian's python3-django), then a real site over HTTP mailing
 * MANAGERS through a real SMTP server: each rule, the subjects, the body, DEBUG, and a dead mail
 * server that must not turn the 404 into anything else.
 */
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { isIgnorableRequest, isInternalRequest, urlparse, compileIgnorable } from '../../../framework/src/http/middleware/broken-link-emails.js';
import { configureLogging, flushLogging, closeLogging } from '../../../framework/src/log/configure.js';
import { bootSite, writeSite } from '../../fixtures/sites.js';
import { TextCapture } from './fixtures/capture.js';
import { closedPort, startSmtp } from './fixtures/smtp.js';

const PATTERNS = ['^/apple-touch-icon.*\\.png$', '^/favicon\\.ico$', '\\.php$'];

interface Case {
  uri: string;
  domain: string;
  referer: string;
  append_slash: boolean;
}

const REFERERS = [
  '',
  '/about',
  '/about/',
  '/stores/9/',
  'https://www.google.com/search?q=coffee',
  'http://coffeehouse.test/menu/?page=2',
  'http://coffeehouse.test/stores/9/',
  'https://coffeehouse.test/stores/9/',
  '//coffeehouse.test/stores/9/',
  'ftp://coffeehouse.test/stores/9/',
  'HTTP://coffeehouse.test/stores/9/',
  'http://evil.test/stores/9/',
  'http://www.coffeehouse.test/stores/9/',
  'http://coffeehouse.test/stores/9/;jsessionid=1',
  'http://coffeehouse.test/stores;x/9/',
  'http://coffeehouse.test/stores/9/#top',
  'http://coffeehouse.test:8000/stores/9/',
  'http://coffeehouse.test:8000/other/',
  'http://[::1]:8000/stores/9/',
  'http://[::1/stores/9/',
  'http://::1]/stores/9/',
  'http://[a]@coffeehouse.test/stores/9/',
  'http://[v1.fe]/stores/9/',
  'http://[127.0.0.1]/stores/9/',
  'http://[::1]x/stores/9/',
  '  http://coffeehouse.test/stores/9/',
  'http://coffee\thouse.test/stores/9/',
  'http://coffeehouse.test\u2100/x',
  'http://coffeehouse.t\u00e9st/stores/9/',
  'javascript:alert(1)',
  '1http://coffeehouse.test/stores/9/',
  'mailto:ops@coffeehouse.test',
  'coffeehouse.test/stores/9/',
  'https://coffeehouse.test/wp-login.php',
];
const URIS = ['/about/', '/stores/9/', '/stores/?page=2', '/wp-login.php', '/favicon.ico', '/apple-touch-icon-120x120.png', '/menu/'];
const DOMAINS = ['coffeehouse.test', 'coffeehouse.test:8000', '[::1]:8000'];

const DJANGO = String.raw`
import json, re, sys
from urllib.parse import urlparse
from django.conf import settings
settings.configure(IGNORABLE_404_URLS=[re.compile(p) for p in json.loads(sys.argv[1])])
from django.middleware.common import BrokenLinkEmailsMiddleware
mw = BrokenLinkEmailsMiddleware(lambda r: None)
out = {'cases': [], 'parsed': {}}
for c in json.loads(sys.stdin.read()):
    settings.APPEND_SLASH = c['append_slash']
    try:
        ignorable = mw.is_ignorable_request(None, c['uri'], c['domain'], c['referer'])
    except ValueError:
        ignorable = 'ValueError'
    out['cases'].append([ignorable, mw.is_internal_request(c['domain'], c['referer'])])
    try:
        p = urlparse(c['referer'])
        out['parsed'][c['referer']] = [p.netloc, p.path]
    except ValueError:
        out['parsed'][c['referer']] = 'ValueError'
print(json.dumps(out))
`;

t.test("is_ignorable_request, is_internal_request and urlparse agree with Django's, case by case", async (t) => {
  const cases: Case[] = [];
  for (const referer of REFERERS) for (const uri of URIS) for (const domain of DOMAINS) for (const append_slash of [true, false]) cases.push({ uri, domain, referer, append_slash });
  const out = execFileSync('/usr/bin/python3', ['-c', DJANGO, JSON.stringify(PATTERNS)], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const django = JSON.parse(out) as { cases: [boolean | 'ValueError', boolean][]; parsed: Record<string, [string, string] | 'ValueError'> };

  for (const referer of REFERERS) {
    let mine: [string, string] | 'ValueError';
    try {
      const p = urlparse(referer);
      mine = [p.netloc, p.path];
    } catch {
      mine = 'ValueError';
    }
    t.same(mine, django.parsed[referer], `urlparse(${JSON.stringify(referer)})`);
  }

  const ignorable = compileIgnorable(PATTERNS);
  let disagreements = 0;
  cases.forEach((c, i) => {
    const [djangoIgnorable, djangoInternal] = django.cases[i]!;
    // Django answers a Referer that urlparse refuses with a 500; Reinhardt ignores it.
    const expected = djangoIgnorable === 'ValueError' ? true : djangoIgnorable;
    const got = isIgnorableRequest(c, { APPEND_SLASH: c.append_slash }, ignorable);
    if (got !== expected || isInternalRequest(c.domain, c.referer) !== djangoInternal) {
      disagreements++;
      t.fail(`${JSON.stringify(c)}: Django says ignorable=${String(djangoIgnorable)} internal=${String(djangoInternal)}`);
    }
  });
  t.equal(disagreements, 0, `${cases.length} cases, no disagreement`);
  t.ok(django.cases.some(([ig]) => ig === 'ValueError'), 'the table includes referers that Django cannot parse');
  t.ok(django.cases.some(([ig]) => ig === false), 'and cases that mail');
});

t.test('IGNORABLE_404_URLS: strings are patterns, RegExps as given (flags that keep state are dropped)', async (t) => {
  const compiled = compileIgnorable(['\\.php$', /^\/favicon\.ico$/gi]);
  t.equal(compiled[1]!.flags, 'i');
  const input = { uri: '/FAVICON.ICO', domain: 'x.test', referer: 'http://other.test/' };
  t.ok(isIgnorableRequest(input, { APPEND_SLASH: true }, compiled));
  t.ok(isIgnorableRequest(input, { APPEND_SLASH: true }, compiled), 'twice: no lastIndex left behind');
  t.throws(() => compileIgnorable(['(unclosed']), { message: /IGNORABLE_404_URLS\[0\] is not a valid regular expression \("\(unclosed"\)/ });
});

function siteFiles(options: { debug: boolean; port: number; middleware?: string }): Record<string, string> {
  return {
    'site/settings.ts': `
import { defineSettings } from 'reinhardt/conf';
export default defineSettings({
  DEBUG: ${options.debug},
  SECRET_KEY: 'broken-link-test-key-0123456789-abcdefghijklmnop',
  ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
  ROOT_URLCONF: 'site.urls',
  MIDDLEWARE: [${options.middleware ?? "'broken-link-emails', 'common'"}],
  APPEND_SLASH: true,
  IGNORABLE_404_URLS: ['\\\\.php$', /^\\/favicon\\.ico$/],
  ADMINS: [['Ops', 'ops@coffeehouse.test']],
  MANAGERS: [['Editor', 'editor@coffeehouse.test']],
  EMAIL_BACKEND: 'smtp',
  EMAIL_HOST: '127.0.0.1',
  EMAIL_PORT: ${options.port},
  EMAIL_TIMEOUT: 5,
  SERVER_EMAIL: 'server@coffeehouse.test',
});
`,
    'site/urls.ts': `
import { path } from 'reinhardt/urls';
import { HttpResponse } from 'reinhardt/http';
export const urlpatterns = [
  path('menu/', () => new HttpResponse('menu'), { name: 'menu' }),
];
`,
  };
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

async function boot(t: Teardown, options: { debug: boolean; port: number; middleware?: string }) {
  const site = await bootSite(t, writeSite(t, siteFiles(options)));
  const out = new TextCapture();
  await configureLogging(site.app.settings, { stream: out, errorStream: out });
  t.teardown(() => closeLogging({ timeoutMs: 2_000 }));
  return { ...site, out, host: new URL(site.url).host };
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { status: res.status, body: await res.text() };
}

t.test('over HTTP: each rule, the subjects and the four-line body', async (t) => {
  const smtp = await startSmtp(t);
  const site = await boot(t, { debug: false, port: smtp.port });
  const mailsAfter = async (path: string, headers: Record<string, string>, status = 404) => {
    const before = smtp.messages.length;
    const res = await get(site.url + path, headers);
    t.equal(res.status, status, `${path} answers ${status}`);
    t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
    return smtp.messages.slice(before);
  };

  const internal = await mailsAfter('/old-menu/?x=1', { Referer: `${site.url}/menu/`, 'User-Agent': 'Mozilla/5.0 (test)' });
  t.equal(internal.length, 1);
  t.equal(internal[0]!.subject, `[Reinhardt] Broken INTERNAL link on ${site.host}`);
  t.same(internal[0]!.to, ['editor@coffeehouse.test'], 'to MANAGERS');
  t.equal(internal[0]!.text.replace(/\n+$/, '\n'), `Referrer: ${site.url}/menu/\nRequested URL: /old-menu/?x=1\nUser agent: Mozilla/5.0 (test)\nIP address: 127.0.0.1\n`);

  const external = await mailsAfter('/gone/', { Referer: 'https://blog.example/post' });
  t.equal(external.length, 1);
  t.equal(external[0]!.subject, `[Reinhardt] Broken link on ${site.host}`);
  t.match(external[0]!.text, /User agent: node\n/, "fetch's own user agent");

  t.same(await mailsAfter('/gone/', {}), [], 'no Referer');
  t.same(await mailsAfter('/gone/', { Referer: 'https://www.google.com/search?q=coffee' }), [], 'an external Referer with a query');
  t.same(await mailsAfter('/gone/', { Referer: `${site.url}/gone/` }), [], 'the URL referring to itself');
  t.same(await mailsAfter('/wp-login.php', { Referer: 'https://spam.example/' }), [], 'IGNORABLE_404_URLS, a string');
  t.same(await mailsAfter('/favicon.ico', { Referer: 'https://spam.example/' }), [], 'IGNORABLE_404_URLS, a RegExp');
  t.same(await mailsAfter('/menu', { Referer: 'https://blog.example/post' }, 301), [], "APPEND_SLASH: 'common' turned the 404 into a redirect");
  t.same(await mailsAfter('/menu/', { Referer: '/menu' }, 200), [], 'a page that exists');
  t.same(await mailsAfter('/gone/', { Referer: 'http://[::1/x' }), [], "a Referer Python's urlparse refuses: ignored, where Django answers 500");
});

t.test('DEBUG on: never mails', async (t) => {
  const smtp = await startSmtp(t);
  const site = await boot(t, { debug: true, port: smtp.port });
  const res = await get(`${site.url}/gone/`, { Referer: 'https://blog.example/post' });
  t.equal(res.status, 404);
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  t.equal(smtp.messages.length, 0);
});

t.test('a dead mail server: the 404 page is unchanged and the failure is logged once', async (t) => {
  const site = await boot(t, { debug: false, port: await closedPort() });
  const res = await get(`${site.url}/gone/`, { Referer: 'https://blog.example/post' });
  t.equal(res.status, 404);
  t.match(res.body, /Not Found/);
  t.equal(await flushLogging({ timeoutMs: 10_000 }), true);
  const failures = site.out.json().filter((l) => l.name === 'reinhardt.mail');
  t.equal(failures.length, 1);
  t.match(failures[0]!.msg, /^Broken link mail to MANAGERS \(Broken link on 127\.0\.0\.1:\d+\) could not be sent/);
});
