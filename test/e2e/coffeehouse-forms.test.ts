/**
 * The coffeehouse's contact form and newsletter sign-up, end to end: a real listening server
 * with the testing settings, CSRF on, mail through a real SMTP server on 127.0.0.1.
 */
import t from 'tap';
import { installSink, type LogRecord } from '../../framework/src/log/logger.js';
import { TimestampSigner } from '../../framework/src/signing/index.js';
import { CONFIRM_SALT } from '../../example-site/newsletter/tokens.js';
import { SITE } from '../helpers.js';
import { bootSite } from '../fixtures/sites.js';
import { closedPort, header, startSmtpServer, until } from '../framework/mail/fixtures/smtp-server.js';

/** A browser, minus the rendering: keeps cookies, reads the CSRF token from forms. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async request(path: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(new URL(path, this.base), {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value === '' || /Max-Age=0/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }

  /** GET a page with a form and POST it with the page's token. */
  async submit(path: string, fields: Record<string, string>) {
    const page = await this.request(path);
    const token = /name="csrfmiddlewaretoken" value="(\w+)"/.exec(page.html)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path}`);
    return this.request(path, { form: { csrfmiddlewaretoken: token, ...fields } });
  }
}

/** The text part of a raw message, quoted-printable decoded. */
function bodyOf(raw: string): string {
  const body = raw.split(/\r?\n\r?\n/).slice(1).join('\n\n');
  if (!/quoted-printable/i.test(header(raw, 'Content-Transfer-Encoding') ?? '')) return body;
  return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

/** The message shown next to a field, or undefined. */
function fieldError(html: string, field: string): string | undefined {
  return new RegExp(`<span class="error" id="error_${field}">([^<]*)</span>`).exec(html)?.[1];
}

async function coffeehouse(t: { teardown(fn: () => unknown): void }, port: number) {
  return bootSite(t, SITE, 'coffeehouse.settings.testing', {}, {
    EMAIL_BACKEND: 'smtp',
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: port,
    EMAIL_TIMEOUT: 5,
    SECURE_PROXY_SSL_HEADER: ['x-forwarded-proto', 'https'],
    STATICFILES_STORAGE: 'plain',
  });
}

t.test('contact form: CSRF, errors beside the fields, header injection refused, mail to MANAGERS, a flash message', async (t) => {
  const smtp = await startSmtpServer(t);
  const site = await coffeehouse(t, smtp.port);
  const browser = new Browser(site.url);

  const noToken = await browser.request('/contact/', { form: { name: 'Ann', email: 'ann@example.com', subject: 'Hi', message: 'Hello' } });
  t.equal(noToken.status, 403, 'a POST without the CSRF token is refused');
  t.match(noToken.html, /<h1>This form has expired<\/h1>/, "with the site's 403_csrf.html");
  t.notMatch(noToken.html, /CSRF token|csrfmiddlewaretoken|Reason/i, 'which says nothing of the check itself');
  const samePage = await new Browser(site.url).submit('/contact/', {});
  t.equal(samePage.status, 200, 'with the token from the page, the post gets through (to the form errors)');
  const foreign = await browser.request('/contact/', { form: { name: 'x' }, headers: { 'x-forwarded-proto': 'https', origin: 'https://evil.example' } });
  t.equal(foreign.status, 403, 'an HTTPS POST with a foreign Origin is refused');

  const empty = await browser.submit('/contact/', { name: '', email: 'not-an-address', subject: '', message: '' });
  t.equal(empty.status, 200);
  t.equal(fieldError(empty.html, 'name'), 'This field is required.');
  t.equal(fieldError(empty.html, 'email'), 'Enter a valid email address.');
  t.equal(fieldError(empty.html, 'subject'), 'This field is required.');
  t.equal(fieldError(empty.html, 'message'), 'This field is required.');
  t.match(empty.html, /value="not-an-address"/, 'what was typed is kept');

  for (const [field, value] of [
    ['subject', 'Hello\r\nBcc: victim@example.com'],
    ['subject', 'Hello\nBcc: victim@example.com'],
    ['email', 'ann@example.com\r\nBcc: victim@example.com'],
    ['name', 'Ann\rBcc: victim@example.com'],
  ] as const) {
    const res = await browser.submit('/contact/', { name: 'Ann', email: 'ann@example.com', subject: 'Hi', message: 'Hello', [field]: value });
    t.ok(fieldError(res.html, field), `a ${field} with CR or LF is a form error`);
  }
  t.equal(smtp.messages.length, 0, 'and nothing was sent');

  const sent = await browser.submit('/contact/', { name: 'Ann Écrivain', email: 'ann@example.com', subject: 'Catering for 40', message: 'Can you cater a wedding?\nThanks' });
  t.equal(sent.status, 302, 'a good post redirects');
  t.equal(sent.location, '/contact/');
  await until(() => smtp.messages.length === 1, 'the contact mail');
  const mail = smtp.messages[0]!;
  t.same(mail.to, ['manager@test.coffeehouse.com'], 'to MANAGERS');
  t.equal(header(mail.raw, 'Subject'), '[Coffeehouse] Contact form: Catering for 40');
  t.match(header(mail.raw, 'Reply-To'), /ann@example\.com/, 'the visitor is the Reply-To');
  t.match(header(mail.raw, 'From'), /site@coffeehouse\.com/, 'sent from SERVER_EMAIL');
  t.match(bodyOf(mail.raw), /From: Ann Écrivain <ann@example\.com>\s+Can you cater a wedding\?\s+Thanks/);

  const thanked = await browser.request('/contact/');
  t.match(thanked.html, /<li class="message success">Thanks, Ann Écrivain! We will reply to ann@example\.com soon\.<\/li>/, 'the flash message, from the session');
  t.notMatch((await browser.request('/about/')).html, /class="messages"/, 'shown once');
});

t.test('contact form with the mail server down: the visitor is told, the values kept, the failure logged', async (t) => {
  const site = await coffeehouse(t, await closedPort());
  const records: LogRecord[] = [];
  installSink((r) => records.push(r));
  t.teardown(() => installSink(undefined));
  const res = await new Browser(site.url).submit('/contact/', { name: 'Ann', email: 'ann@example.com', subject: 'Hi', message: 'Hello' });
  t.equal(res.status, 200);
  t.match(res.html, /class="message error">Sorry, we could not send your message just now/);
  t.match(res.html, /<textarea[^>]*>Hello<\/textarea>/, 'the message is still there to send again');
  t.ok(records.some((r) => r.name === 'coffeehouse.contact' && r.level === 'ERROR'), 'logged on coffeehouse.contact');
});

t.test('newsletter: a 48-hour confirmation link; confirmed, expired or invalid', async (t) => {
  const smtp = await startSmtpServer(t);
  const site = await coffeehouse(t, smtp.port);
  const browser = new Browser(site.url);
  t.equal(fieldError((await browser.submit('/newsletter/', { email: 'nope' })).html, 'email'), 'Enter a valid email address.');
  const signed = await browser.submit('/newsletter/', { email: 'ann+news@example.com' });
  t.equal(signed.status, 302);
  await until(() => smtp.messages.length === 1, 'the confirmation mail');
  const mail = smtp.messages[0]!;
  t.same(mail.to, ['ann+news@example.com']);
  t.equal(header(mail.raw, 'Subject'), 'Confirm your Coffeehouse newsletter subscription');
  const link = /(http:\/\/\S+\/newsletter\/confirm\/\S+\/)/.exec(bodyOf(mail.raw))?.[1];
  t.ok(link, 'the mail carries an absolute link');
  t.match((await browser.request('/newsletter/')).html, /We sent a confirmation link to ann\+news@example\.com\. It works for 48 hours\./);

  const confirmed = await browser.request(new URL(link!).pathname);
  t.equal(confirmed.status, 200);
  t.match(confirmed.html, /<h1>Subscription confirmed<\/h1>[\s\S]*ann\+news@example\.com/);

  const token = new URL(link!).pathname.split('/')[3]!;
  const [payload, stamp, sig] = token.split(':');
  const tampered = await browser.request(`/newsletter/confirm/${Buffer.from('{"email":"eve@example.com"}').toString('base64url')}:${stamp}:${sig}/`);
  t.equal(tampered.status, 400);
  t.match(tampered.html, /<h1>This link is invalid<\/h1>/, 'another address under the same signature');
  t.match((await browser.request(`/newsletter/confirm/${payload}:${stamp}/`)).html, /This link is invalid/, 'a link cut short');
  t.match((await browser.request('/newsletter/confirm/garbage/')).html, /This link is invalid/);

  const key = site.app.settings.SECRET_KEY;
  const old = new TimestampSigner({ key, salt: CONFIRM_SALT, now: () => Date.now() - 49 * 3600_000 }).signObject({ email: 'ann@example.com' });
  const expired = await browser.request(`/newsletter/confirm/${old}/`);
  t.equal(expired.status, 410);
  t.match(expired.html, /<h1>This link has expired<\/h1>[\s\S]*work for 48 hours/);
  const recent = new TimestampSigner({ key, salt: CONFIRM_SALT, now: () => Date.now() - 47 * 3600_000 }).signObject({ email: 'ann@example.com' });
  t.equal((await browser.request(`/newsletter/confirm/${recent}/`)).status, 200, 'still good after 47 hours');
  const otherSalt = new TimestampSigner({ key, salt: 'other' }).signObject({ email: 'ann@example.com' });
  t.equal((await browser.request(`/newsletter/confirm/${otherSalt}/`)).status, 400, 'a value signed for another purpose is invalid');
});
