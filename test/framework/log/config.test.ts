/**
 * LOGGING as dictConfig over DEFAULT_LOGGING: propagation up dotted names, logger and handler
 * levels, filters of every shape, the overlay rules, disable_existing_loggers, the level gate and
 * its cache, the last-resort handler, and errors that name the entry and the known names.
 */
import t from 'tap';
import { ImproperlyConfigured } from '../../../framework/src/errors.js';
import { closeLogging, configureLogging } from '../../../framework/src/log/configure.js';
import { sendsErrorMailToAdmins } from '../../../framework/src/checks/reinhardt-checks.js';
import { DEFAULT_LOGGING } from '../../../framework/src/log/default-logging.js';
import { getLogger, type LogRecord } from '../../../framework/src/log/logger.js';
import { logHandlerNames, registerLogHandler } from '../../../framework/src/log/registry.js';
import type { HandlerContext, HandlerRecord, LogHandler } from '../../../framework/src/log/types.js';
import { CaptureHandler, captured, recordsOf, settingsWith, TextCapture, useLogging } from './fixtures/capture.js';

const capture = (extra: Record<string, unknown> = {}) => ({ class: CaptureHandler, ...extra });
const names = (records: readonly HandlerRecord[]) => records.map((r) => `${r.name}:${r.msg}`);

t.test('DEFAULT_LOGGING with DEBUG on: reinhardt at INFO to the console, pretty; apps fall to the last resort', async (t) => {
  const { out, errors } = await useLogging(t, { DEBUG: true });
  getLogger('reinhardt.request').warning('Not Found: /favicon.ico', { status_code: 404 });
  getLogger('reinhardt.template').info('compiled page.html');
  getLogger('reinhardt').debug('not shown: below INFO');
  getLogger('coffeehouse.stores').warning('stock low', { store: 3 });
  getLogger('coffeehouse.stores').info('not shown: root is WARNING');

  const lines = out.lines();
  t.equal(lines.length, 2, 'two reinhardt records on the console');
  t.match(lines[0], /^\[\d\d:\d\d:\d\d\.\d{3}\] WARNING \(reinhardt\.request\): Not Found: \/favicon\.ico \{"status_code":404\}$/);
  t.match(lines[1], /INFO \(reinhardt\.template\): compiled page\.html/);
  const last = errors.json();
  t.equal(last.length, 1, 'the app record found no handler: the last resort (stderr) took it');
  t.match(last[0], { level: 'WARNING', name: 'coffeehouse.stores', msg: 'stock low', store: 3 });
  t.notOk(getLogger('coffeehouse.stores').isEnabledFor('INFO'));
  t.ok(getLogger('coffeehouse.stores').isEnabledFor('WARNING'));
});

t.test('DEFAULT_LOGGING with DEBUG off: console quiet, ERROR only when there are ADMINS to mail', async (t) => {
  const { out } = await useLogging(t, { DEBUG: false });
  const request = getLogger('reinhardt.request');
  t.notOk(request.isEnabledFor('WARNING'), 'a 404 warning is not even made');
  t.notOk(request.isEnabledFor('ERROR'), 'no ADMINS: the mail handler is inactive, nothing handles ERROR');
  request.error('Internal Server Error: /x');
  t.equal(out.text, '');

  await useLogging(t, { DEBUG: false, ADMINS: [['Ops', 'ops@example.com']], EMAIL_BACKEND: 'locmem' });
  t.notOk(request.isEnabledFor('WARNING'));
  t.ok(request.isEnabledFor('ERROR'), 'with ADMINS, ERROR goes to mail_admins');
  t.ok(getLogger('reinhardt.server').isEnabledFor('INFO'), 'the access log has its own handler');
});

t.test('records propagate up dotted names, stop at propagate: false, and reach the root', async (t) => {
  await useLogging(t, {
    LOGGING: {
      handlers: { sec: capture(), top: capture(), rootcap: capture() },
      loggers: {
        'reinhardt.security': { handlers: ['sec'], level: 'WARNING' },
        reinhardt: { handlers: ['top'] },
        coffeehouse: { handlers: ['top'], propagate: false, level: 'DEBUG' },
      },
      root: { handlers: ['rootcap'], level: 'INFO' },
    },
  });
  getLogger('reinhardt.security.DisallowedHost').error('Invalid HTTP_HOST header');
  getLogger('reinhardt.security.csrf').info('below the WARNING of reinhardt.security: not made');
  getLogger('coffeehouse.stores').debug('store 3 opened');
  getLogger('other').info('to the root');
  getLogger().warning('on the root itself');

  t.same(
    captured.map((c) => `${c.id}<-${c.record.name}`),
    [
      'sec<-reinhardt.security.DisallowedHost',
      'top<-reinhardt.security.DisallowedHost',
      'rootcap<-reinhardt.security.DisallowedHost',
      'top<-coffeehouse.stores',
      'rootcap<-other',
      'rootcap<-root',
    ],
    'each handler on the way, in order; coffeehouse stops before the root',
  );
});

t.test('handler levels apply per handler; logger levels decide whether a record is made', async (t) => {
  await useLogging(t, {
    LOGGING: {
      handlers: { all: capture(), errors: capture({ level: 'ERROR' }) },
      loggers: { shop: { handlers: ['all', 'errors'], level: 'info' } },
    },
  });
  const shop = getLogger('shop.orders');
  shop.debug('not made: shop is INFO and shop.orders inherits it');
  shop.info('order 1');
  shop.error('order 2 failed');
  t.same(names(recordsOf('all')), ['shop.orders:order 1', 'shop.orders:order 2 failed']);
  t.same(names(recordsOf('errors')), ['shop.orders:order 2 failed']);
  t.notOk(shop.isEnabledFor('DEBUG'));
});

t.test('LOGGING is laid over DEFAULT_LOGGING: logger keys overlay, handlers are replaced by name', async (t) => {
  const { out } = await useLogging(t, { DEBUG: true, LOGGING: { loggers: { reinhardt: { level: 'WARNING' } } } });
  getLogger('reinhardt.template').info('hidden now');
  getLogger('reinhardt.request').warning('Not Found: /x');
  t.equal(out.lines().length, 1, "the level changed and the default handlers stayed ('console')");

  const second = await useLogging(t, { DEBUG: true, LOGGING: { handlers: { console: capture() } } });
  getLogger('reinhardt.request').warning('Not Found: /y');
  t.equal(second.out.text, '', "redefining 'console' replaced it wherever it was used");
  t.same(names(recordsOf('console')), ['reinhardt.request:Not Found: /y']);

  await useLogging(t, { DEBUG: true, LOGGING: { handlers: { cap: capture() }, loggers: { reinhardt: { handlers: [] } }, root: { handlers: ['cap'] } } });
  getLogger('reinhardt.request').warning('Not Found: /z');
  t.same(names(recordsOf('cap')), ['reinhardt.request:Not Found: /z'], "handlers: [] removes them; records still propagate");
});

t.test('disable_existing_loggers: default loggers not named are silenced, unless under one LOGGING names', async (t) => {
  await useLogging(t, {
    LOGGING: { disable_existing_loggers: true, handlers: { cap: capture() }, loggers: { coffeehouse: { handlers: ['cap'], level: 'INFO', propagate: false } }, root: { handlers: ['cap'] } },
  });
  getLogger('reinhardt.request').error('dropped: reinhardt is a default logger LOGGING did not name');
  getLogger('reinhardt.server').error('dropped too');
  getLogger('coffeehouse.menu').info('kept');
  getLogger('elsewhere').warning('kept: not a default logger');
  t.same(names(recordsOf('cap')), ['coffeehouse.menu:kept', 'elsewhere:kept: not a default logger']);
  t.notOk(getLogger('reinhardt.request').isEnabledFor('CRITICAL'));

  await useLogging(t, { LOGGING: { disable_existing_loggers: true, handlers: { cap: capture() }, loggers: { reinhardt: { handlers: ['cap'], level: 'INFO' } } } });
  getLogger('reinhardt.server').info('"GET / HTTP/1.1" 200 2');
  t.same(names(recordsOf('cap')), ['reinhardt.server:"GET / HTTP/1.1" 200 2'], "reinhardt.server lost its default entry and propagates to 'reinhardt', as dictConfig resets child loggers");
});

t.test('filters: built-in names, callables, factories, filter objects, logger filters on the origin only', async (t) => {
  let factoryOptions: unknown;
  await useLogging(t, {
    DEBUG: false,
    LOGGING: {
      filters: {
        only_orders: (r: LogRecord) => r.msg.startsWith('order'),
        not_noisy: { '()': 'callback', callback: (r: LogRecord) => !r.msg.includes('noisy') },
        made: {
          '()': (ctx: { options: Record<string, unknown> }) => {
            factoryOptions = ctx.options;
            return { filter: (r: LogRecord) => r.extra.important === ctx.options.mark };
          },
          mark: true,
        },
        prod: 'require-debug-false',
      },
      handlers: {
        orders: capture({ filters: ['only_orders', 'not_noisy'] }),
        important: capture({ filters: ['made', 'prod'] }),
        debugonly: capture({ filters: ['require-debug-true'] }),
        inline: capture({ filters: [(r: LogRecord) => r.levelNo >= 40] }),
      },
      loggers: {
        shop: { handlers: ['orders', 'important', 'debugonly', 'inline'], level: 'INFO', filters: [(r: LogRecord) => !r.msg.includes('secret')] },
      },
    },
  });
  const shop = getLogger('shop');
  shop.info('order 1');
  shop.info('order 2 noisy');
  shop.info('refund', { important: true });
  shop.error('order secret: dropped by the logger filter');
  shop.error('failure');
  getLogger('shop.child').info('order from a child: the logger filter of shop does not apply', { important: true });

  t.same(factoryOptions, { mark: true }, "the factory got the entry's options without '()'");
  t.same(names(recordsOf('orders')), ['shop:order 1', 'shop.child:order from a child: the logger filter of shop does not apply']);
  t.same(names(recordsOf('important')), ['shop:refund', 'shop.child:order from a child: the logger filter of shop does not apply']);
  t.same(recordsOf('debugonly'), [], 'require-debug-true with DEBUG off');
  t.same(names(recordsOf('inline')), ['shop:failure']);
});

t.test('a handler or filter that throws is reported once; the others still get the record; the caller never sees it', async (t) => {
  class Broken implements LogHandler {
    handle(): void {
      throw new Error('disk on fire');
    }
  }
  const { errors } = await useLogging(t, {
    LOGGING: {
      handlers: { broken: { class: Broken }, after: capture(), picky: capture({ filters: [() => { throw new TypeError('bad filter'); }] }) },
      root: { handlers: ['broken', 'after', 'picky'], level: 'INFO' },
    },
  });
  for (let i = 0; i < 5; i++) getLogger('app').info(`record ${i}`);
  t.equal(recordsOf('after').length, 5);
  t.equal(recordsOf('picky').length, 0, 'a filter that throws says no');
  const reports = errors.lines();
  t.equal(reports.length, 2, 'one report per broken part, not one per record');
  t.match(reports[0], /handler 'broken' failed on a record from 'app': Error: disk on fire/);
  t.match(reports[1], /handler 'picky' failed .*TypeError: bad filter/);
});

t.test('handlers by registered name, imported class, factory and instance', async (t) => {
  const made: string[] = [];
  registerLogHandler('memory', CaptureHandler);
  t.ok(logHandlerNames().includes('memory'));
  await useLogging(t, {
    LOGGING: {
      handlers: {
        byname: { class: 'memory' },
        byclass: { class: CaptureHandler },
        byfactory: {
          '()': (ctx: HandlerContext) => {
            made.push(`${ctx.id}:${String(ctx.options.tag)}`);
            return new CaptureHandler(ctx);
          },
          tag: 'x',
        },
        byinstance: { class: { handle: (r: HandlerRecord) => made.push(`instance got ${r.msg}`) } },
      },
      root: { handlers: ['byname', 'byclass', 'byfactory', 'byinstance'] },
    },
  });
  getLogger('a').warning('hello');
  t.same(captured.map((c) => c.id), ['byname', 'byclass', 'byfactory']);
  t.same(made, ['byfactory:x', 'instance got hello']);
});

t.test('unknown names fail with RH_ERR_UNKNOWN_COMPONENT, naming the entry and the known names', async (t) => {
  const settings = settingsWith({ LOGGING: { handlers: { alerts: { class: 'pager', level: 'ERROR' } } } });
  const err = await configureLogging(settings).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof ImproperlyConfigured);
  t.equal((err as ImproperlyConfigured).code, 'RH_ERR_UNKNOWN_COMPONENT');
  t.match((err as Error).message, /LOGGING handler 'alerts': unknown handler class 'pager'\. Known handler classes: 'console', 'file', 'mail-admins', 'null'/);

  await t.rejects(configureLogging(settingsWith({ LOGGING: { handlers: { h: { class: 'console', filters: ['nope'] } } } })), {
    code: 'RH_ERR_UNKNOWN_COMPONENT',
    message: /LOGGING handler 'h': unknown filter 'nope'\. Filters defined in LOGGING: 'require_debug_false', 'require_debug_true'; built-in filters: 'require-debug-false', 'require-debug-true', 'callback'/,
  });
  await t.rejects(configureLogging(settingsWith({ LOGGING: { loggers: { shop: { handlers: ['mail'] } } } })), {
    code: 'RH_ERR_UNKNOWN_COMPONENT',
    message: /LOGGING logger 'shop': unknown handler "mail"\. Handlers defined in LOGGING \(and DEFAULT_LOGGING\): 'console', 'reinhardt.server', 'mail_admins'/,
  });
  await t.rejects(configureLogging(settingsWith({ LOGGING: { filters: { f: { '()': 'require-debug' } } } })), {
    code: 'RH_ERR_UNKNOWN_COMPONENT',
    message: /LOGGING filter 'f': unknown filter 'require-debug'/,
  });
  await t.rejects(configureLogging(settingsWith({ LOGGING: { formatters: { f: { '()': 'xml' } } } })), {
    code: 'RH_ERR_UNKNOWN_COMPONENT',
    message: /unknown formatter 'xml'\. Known formatters: 'json', 'text', 'server', 'pretty'/,
  });
});

t.test('every problem in LOGGING is reported at once; the previous configuration stays', async (t) => {
  await useLogging(t, { LOGGING: { handlers: { cap: capture() }, root: { handlers: ['cap'] } } });
  const settings = settingsWith({
    LOGGING: {
      version: 2,
      handler: {},
      handlers: { a: { class: 'console', level: 'LOUD' }, b: { class: 'console', stream: 42 } },
      loggers: { shop: { handlers: 'a', propagate: 'no', levels: 'INFO' } },
    },
  });
  const err = await configureLogging(settings).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  t.ok(err);
  const message = err!.message;
  t.match(message, /^\d+ problems in LOGGING:\n/);
  for (const part of [
    /unknown key 'handler'/,
    /version must be 1/,
    /logger 'shop': unknown key 'levels'/,
    /handler 'a': unknown level "LOUD"\. Levels: 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'NOTSET' or a number/,
    /handler 'b': stream must be 'stdout', 'stderr' or an object with write\(\)/,
    /logger 'shop': handlers must be a list/,
    /logger 'shop': propagate must be true or false/,
  ]) {
    t.match(message, part);
  }
  getLogger('still').warning('old configuration');
  t.same(names(recordsOf('cap')), ['still:old configuration'], 'a failed configure changes nothing');
});

t.test('the gate is cached per name and rebuilt on reconfigure', async (t) => {
  await useLogging(t, { LOGGING: { handlers: { cap: capture() }, loggers: { shop: { handlers: ['cap'], level: 'ERROR' } } } });
  const shop = getLogger('shop');
  t.notOk(shop.isEnabledFor('INFO'));
  t.notOk(shop.isEnabledFor('INFO'), 'asked twice: same answer from the cache');
  await useLogging(t, { LOGGING: { handlers: { cap: capture() }, loggers: { shop: { handlers: ['cap'], level: 'DEBUG' } } } });
  t.ok(shop.isEnabledFor('INFO'), 'the new configuration is seen at once');
  await useLogging(t, { LOGGING: { loggers: { shop: { handlers: ['null'], propagate: false, level: 'DEBUG' } } } });
  t.notOk(shop.isEnabledFor('CRITICAL'), "a logger that ends in 'null' makes no records at all");
});

t.test('closeLogging puts the boot-time fallback back', async (t) => {
  const out = new TextCapture();
  await configureLogging(settingsWith({ LOGGING: { handlers: { cap: capture() }, root: { handlers: ['cap'], level: 'DEBUG' } } }), { stream: out });
  t.ok(getLogger('x').isEnabledFor('DEBUG'));
  t.equal(await closeLogging({ timeoutMs: 1_000 }), true);
  t.notOk(getLogger('x').isEnabledFor('INFO'), 'fallback: WARNING and above only');
  t.ok(getLogger('x').isEnabledFor('WARNING'));
});

t.test('DEFAULT_LOGGING is plain data that says what it does', async (t) => {
  t.same(DEFAULT_LOGGING.loggers.reinhardt, { handlers: ['console', 'mail_admins'], level: 'INFO' });
  t.same(DEFAULT_LOGGING.handlers.mail_admins, { class: 'mail-admins', level: 'ERROR', filters: ['require_debug_false'] });
  t.same(DEFAULT_LOGGING.handlers.console, { class: 'console', level: 'INFO', filters: ['require_debug_true'] });
  t.equal(DEFAULT_LOGGING.loggers['reinhardt.server'].propagate, false);
  t.equal(DEFAULT_LOGGING.loggers['reinhardt.mail'].propagate, false, 'mail failures never reach mail_admins');
  t.same(JSON.parse(JSON.stringify(DEFAULT_LOGGING)), DEFAULT_LOGGING, 'no functions, no classes: quotable');
});

t.test('the deploy check (reinhardt.W001) reads LOGGING with the same overlay rules as configureLogging', async (t) => {
  t.ok(sendsErrorMailToAdmins({}), 'the defaults mail errors');
  t.ok(sendsErrorMailToAdmins({ loggers: { reinhardt: { level: 'WARNING' } } }), 'a level change keeps the default handlers');
  t.notOk(sendsErrorMailToAdmins({ loggers: { reinhardt: { handlers: ['console'] } } }), 'handlers taken off reinhardt');
  t.notOk(sendsErrorMailToAdmins({ handlers: { mail_admins: { class: 'null' } } }), 'mail_admins replaced by name');
  t.notOk(sendsErrorMailToAdmins({ disable_existing_loggers: true, loggers: { myapp: { handlers: ['console'] } } }), 'default loggers dropped');
  t.ok(
    sendsErrorMailToAdmins({ disable_existing_loggers: true, loggers: { myapp: { handlers: ['mail_admins'] } } }),
    'an application logger on the default mail_admins handler',
  );
});
