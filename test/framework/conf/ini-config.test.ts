/**
 * readConfig / parseConfig: configparser's rules (strict, BasicInterpolation, allow_no_value),
 * the seed chapter's Listing 5-7 and its DEBUG trap, and hostile files. Every error's message is
 * checked in full, because the message is the feature.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import t from 'tap';
import { IniError, SettingsValidationError } from '../../../framework/src/errors.js';
import { configureSettings } from '../../../framework/src/conf/load-settings.js';
import { Config, MAX_CONFIG_BYTES, parseConfig, readConfig } from '../../../framework/src/conf/ini-config.js';

/**
 * Listing 5-7 as the book prints it. The seed text lost its three section headers in extraction;
 * Listing 5-8 reads [general], [databases] and [security], so they are restored here. The
 * trailing spaces after ENGINE and PASSWORD are the seed's own.
 */
const LISTING_5_7 = [
  '[general]',
  'DEBUG: false',
  'STATIC_URL: http://static.coffeehouse.com/',
  '',
  '[databases]',
  'NAME: housecoffee',
  'ENGINE: django.db.backends.mysql ',
  'USER: coffee',
  'PASSWORD: secretpass ',
  '',
  '[security]',
  'SECRET_KEY: %%ea)cjy@v9(7!b(20gl+4-6iur28dy=tc4f$-zbm-v=!t',
  '',
].join('\n');
const SEED_SECRET = '%ea)cjy@v9(7!b(20gl+4-6iur28dy=tc4f$-zbm-v=!t';

function errorOf(fn: () => unknown): IniError {
  try {
    fn();
  } catch (err) {
    if (err instanceof IniError) return err;
    throw err;
  }
  throw new Error('expected an IniError, nothing was thrown');
}

function tempDir(t: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-ini-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const parse = (text: string, options: Parameters<typeof parseConfig>[1] = {}): Config => parseConfig(text, { source: 'x.cfg', ...options });

t.test("Listing 5-7 reads back as configparser reads it", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'production.cfg');
  writeFileSync(file, LISTING_5_7);
  const config = readConfig(file);
  t.ok(config instanceof Config);
  t.equal(config.source, file);
  t.same(config.sections(), ['general', 'databases', 'security']);
  t.equal(config.get('security', 'SECRET_KEY'), SEED_SECRET, "'%%' is a literal '%'");
  t.equal(config.get('security', 'SECRET_KEY', { raw: true }), `%${SEED_SECRET}`, 'raw keeps the file text');
  t.equal(config.get('databases', 'ENGINE'), 'django.db.backends.mysql', 'values are stripped');
  t.equal(config.get('databases', 'password'), 'secretpass');
  t.equal(config.get('general', 'DEBUG'), 'false', 'get() answers the string, as in the seed');
  t.equal(config.getBoolean('general', 'DEBUG'), false);
  t.equal(config.getString('general', 'static_url'), 'http://static.coffeehouse.com/');
});

t.test("the seed's trap: DEBUG read with get() fails settings validation, getBoolean passes", async (t) => {
  const config = parseConfig(LISTING_5_7, { source: 'production.cfg' });
  let caught: unknown;
  try {
    configureSettings({ DEBUG: config.get('general', 'DEBUG'), SECRET_KEY: config.get('security', 'SECRET_KEY') });
  } catch (err) {
    caught = err;
  }
  t.ok(caught instanceof SettingsValidationError, 'the truthy string is refused');
  const err = caught as SettingsValidationError;
  t.equal(err.code, 'RH_ERR_SETTINGS_INVALID');
  t.same(err.problems.map((p) => p.setting), ['DEBUG']);
  t.match(err.message, /DEBUG: expected a boolean \(true or false\), found the string 'false'/);
  t.match(err.message, /config\.getBoolean\('general', 'DEBUG'\)/, 'the message points to getBoolean');

  const settings = configureSettings({
    DEBUG: config.getBoolean('general', 'DEBUG'),
    SECRET_KEY: config.get('security', 'SECRET_KEY') ?? '',
  });
  t.equal(settings.DEBUG, false);
  t.equal(settings.SECRET_KEY, SEED_SECRET);
});

t.test('syntax: separators, comments, blank lines, continuations, case', async (t) => {
  const config = parse(
    [
      '# a comment before any section',
      '; another',
      '[Main]',
      'colon: a',
      'equals = b',
      'both = x: y = z',
      'colon-first: p=q',
      'inline = kept ; not a comment # nor this',
      '   # an indented comment line',
      'Mixed_Case = c',
      'spaced key   =   spaced value   ',
      'empty =',
      'multi = first',
      '   second',
      '',
      '   # a comment inside a value is dropped',
      '      third',
      '',
      '',
      'after = d',
      '  indented key = e',
      '[main]',
      'other = lower-case section is another section',
      '[Main2]',
      '  deep = f',
      '  deeper = g',
      '    h',
    ].join('\n'),
  );
  t.same(config.sections(), ['Main', 'main', 'Main2'], 'section names are case-sensitive');
  t.equal(config.get('Main', 'colon'), 'a');
  t.equal(config.get('Main', 'equals'), 'b');
  t.equal(config.get('Main', 'both'), 'x: y = z', 'the first separator splits');
  t.equal(config.get('Main', 'colon-first'), 'p=q');
  t.equal(config.get('Main', 'inline'), 'kept ; not a comment # nor this', 'no inline comments');
  t.equal(config.get('Main', 'MIXED_CASE'), 'c', 'keys are case-insensitive');
  t.equal(config.get('Main', 'spaced key'), 'spaced value');
  t.equal(config.get('Main', 'empty'), '', "'key =' is the empty string, not null");
  t.equal(config.get('Main', 'multi'), 'first\nsecond\n\nthird', 'continuations joined by newlines; inner blank kept, trailing dropped');
  t.equal(config.get('Main', 'after'), 'd\nindented key = e', 'a line indented deeper than its key continues it, even with a separator');
  t.equal(config.get('Main2', 'deep'), 'f', 'keys may be indented; continuation is relative to the key');
  t.equal(config.get('Main2', 'deeper'), 'g\nh');
  t.equal(config.get('main', 'other'), 'lower-case section is another section');
  t.same(config.keys('Main'), ['colon', 'equals', 'both', 'colon-first', 'inline', 'mixed_case', 'spaced key', 'empty', 'multi', 'after']);
  t.notOk(config.has('main', 'colon'));
  t.ok(config.has('Main', 'COLON'));
});

t.test('[DEFAULT] and the defaults option are seen from every section', async (t) => {
  const config = parse(
    ['[DEFAULT]', 'Host = example.com', 'port = 25', '[mail]', 'port = 587', '[web]', 'url = http://%(host)s/'].join('\n'),
    { defaults: { Timeout: '10', host: 'overridden.example' } },
  );
  t.same(config.sections(), ['mail', 'web'], 'DEFAULT is not a section');
  t.notOk(config.hasSection('DEFAULT'));
  t.ok(config.hasSection('mail'));
  t.notOk(config.hasSection('Mail'));
  t.equal(config.get('mail', 'host'), 'example.com', "the file's [DEFAULT] wins over the option");
  t.equal(config.get('mail', 'port'), '587', 'a section overrides DEFAULT');
  t.equal(config.get('web', 'port'), '25');
  t.equal(config.getInt('web', 'timeout'), 10, 'defaults option keys are lower-cased');
  t.equal(config.get('web', 'url'), 'http://example.com/', 'references reach DEFAULT');
  t.equal(config.get('DEFAULT', 'port'), '25');
  t.ok(config.has('DEFAULT', 'port'));
  t.ok(config.has('', 'port'), "an empty section name asks DEFAULT, as configparser's has_option does");
  t.ok(config.has('web', 'port'));
  t.notOk(config.has('nope', 'port'), 'has() on a missing section is false, not an error');
  t.same(config.keys('mail'), ['port', 'timeout', 'host']);
  t.same(config.items('web'), [
    ['url', 'http://example.com/'],
    ['timeout', '10'],
    ['host', 'example.com'],
    ['port', '25'],
  ]);
  t.same(config.items('DEFAULT'), [
    ['timeout', '10'],
    ['host', 'example.com'],
    ['port', '25'],
  ]);
  const bad = errorOf(() => parse('[a]\nx = y', { defaults: { flag: 'perhaps' } }).getBoolean('a', 'flag'));
  t.equal(bad.message, "Not a boolean: 'perhaps' ([DEFAULT] flag in x.cfg (from the defaults option)); use 1, yes, true or on for true and 0, no, false or off for false.");
});

t.test('parse errors name the file and line', async (t) => {
  const cases: [string, string, Parameters<typeof parseConfig>[1]?][] = [
    ['# comment\nDEBUG: false\n[general]', "x.cfg, line 2: 'DEBUG: false' comes before any [section] header; start the file with a header such as [general]."],
    ['  key = value', "x.cfg, line 1: 'key = value' comes before any [section] header; start the file with a header such as [general]."],
    ['[a]\nk = 1\n[b]\n[a]\nj = 2', 'x.cfg, line 4: duplicate section [a] (first on line 1).'],
    ['[a]\nDebug = 1\nx = 2\ndebug = 3', "x.cfg, line 4: duplicate key 'debug' in section [a] (first set on line 2)."],
    ['[DEFAULT]\na = 1\n[DEFAULT]\nb = 2', 'x.cfg, line 3: duplicate section [DEFAULT] (first on line 1).'],
    ['[a] ; note', "x.cfg, line 1: unexpected text after the section header '[a]'; comments must be on their own line."],
    ['[a\nk = v', "x.cfg, line 1: '[a' opens a section header but has no closing ']'."],
    ['[]', 'x.cfg, line 1: empty section name [].'],
    ['[a]\n= value', "x.cfg, line 2: '= value' has no key before the '='."],
    ['[a]\n: value', "x.cfg, line 2: ': value' has no key before the ':'."],
    ['[a]\nflag\n  more', "x.cfg, line 3: this indented line continues the key 'flag' of line 2, which has no value (no '=' or ':'). Add a separator to that key, or unindent this line."],
    ['[a]\nno separator here', "x.cfg, line 2: 'no separator here' is neither a [section] header nor a 'key = value' line.", { allowNoValue: false }],
  ];
  for (const [text, message, options] of cases) {
    const err = errorOf(() => parse(text, options));
    t.equal(err.code, 'RH_ERR_INI_PARSE', message);
    t.equal(err.message, message);
  }
  const control = errorOf(() => parse('[a]\n= \tx\x01y\\'));
  t.equal(control.message, "x.cfg, line 2: '= \\tx\\x01y\\\\' has no key before the '='.", 'control characters are escaped in messages');
  const noSource = errorOf(() => parseConfig('oops'));
  t.equal(noSource.message, "<string>, line 1: 'oops' comes before any [section] header; start the file with a header such as [general].");
});

t.test('every syntax problem is reported at once, with a cap', async (t) => {
  const err = errorOf(() => parse('[a]\nk = 1\nK = 2\n= 3\n  continued\n[a]\n[b] x\n'));
  t.equal(
    err.message,
    [
      '4 errors in x.cfg:',
      "  x.cfg, line 3: duplicate key 'k' in section [a] (first set on line 2).",
      "  x.cfg, line 4: '= 3' has no key before the '='.",
      '  x.cfg, line 6: duplicate section [a] (first on line 1).',
      "  x.cfg, line 7: unexpected text after the section header '[b]'; comments must be on their own line.",
    ].join('\n'),
    'the continuation of a bad line is not reported again',
  );
  const many = ['[a]', ...Array.from({ length: 25 }, (_, i) => `= ${i}`)].join('\n');
  const capped = errorOf(() => parse(many));
  const lines = capped.message.split('\n');
  t.equal(lines[0], '25 errors in x.cfg:');
  t.equal(lines.length, 12, 'ten problems, then a count');
  t.equal(lines[11], '  ... and 15 more');
});

t.test('allow-no-value', async (t) => {
  const config = parse('[mysqld]\nskip-external-locking\nport = 3306\nlist-me\n');
  t.equal(config.get('mysqld', 'skip-external-locking'), null);
  t.ok(config.has('mysqld', 'skip-external-locking'));
  t.same(config.getList('mysqld', 'list-me'), [], 'no value is an empty list');
  const err = errorOf(() => config.getBoolean('mysqld', 'skip-external-locking'));
  t.equal(err.code, 'RH_ERR_INI_VALUE');
  t.equal(err.message, "No value: [mysqld] skip-external-locking in x.cfg, line 2 is written without '=' or ':', so it cannot be read as a boolean.");
  t.equal(errorOf(() => config.getInt('mysqld', 'list-me')).message, "No value: [mysqld] list-me in x.cfg, line 4 is written without '=' or ':', so it cannot be read as an integer.");
  t.same(config.items('mysqld'), [
    ['skip-external-locking', null],
    ['port', '3306'],
    ['list-me', null],
  ]);
});

t.test('interpolation like BasicInterpolation', async (t) => {
  const config = parse(
    [
      '[DEFAULT]',
      'root = /srv',
      '[paths]',
      'Home = %(root)s/home',
      'logs = %(HOME)s/logs',
      'percent = 100%%',
      'double = %%%%',
      'escaped-ref = %%(home)s',
      'lone = 50%',
      'unknown = %(nope)s/x',
      'unclosed = %(home',
      'no-s = %(home)d',
      'empty-ref = %()s',
      'flagged',
      'to-flag = %(flagged)s',
      'self = %(self)s',
      'a = %(b)s',
      'b = %(a)s',
      'bad-bool = %(percent)s',
    ].join('\n'),
  );
  t.equal(config.get('paths', 'home'), '/srv/home');
  t.equal(config.get('paths', 'logs'), '/srv/home/logs', 'nested, names lower-cased');
  t.equal(config.get('paths', 'percent'), '100%');
  t.equal(config.get('paths', 'double'), '%%');
  t.equal(config.get('paths', 'escaped-ref'), '%(home)s');
  t.equal(config.get('paths', 'lone', { raw: true }), '50%', 'raw skips interpolation');
  const cases: [string, string][] = [
    ['lone', "Bad value for [paths] lone in x.cfg, line 9: '%' must be followed by '%' or '(' (found '%'); write '%%' for a literal '%'."],
    ['unknown', "Bad value for [paths] unknown in x.cfg, line 10: '%(nope)s' refers to 'nope', which is not a key of [paths] or [DEFAULT]; write '%%' for a literal '%'."],
    ['unclosed', "Bad value for [paths] unclosed in x.cfg, line 11: bad reference '%(home'; write %(name)s, or '%%' for a literal '%'."],
    ['no-s', "Bad value for [paths] no-s in x.cfg, line 12: bad reference '%(home)d'; write %(name)s, or '%%' for a literal '%'."],
    ['empty-ref', "Bad value for [paths] empty-ref in x.cfg, line 13: bad reference '%()s'; write %(name)s, or '%%' for a literal '%'."],
    ['to-flag', "Bad value for [paths] to-flag in x.cfg, line 15: '%(flagged)s' refers to 'flagged' (line 14), which has no value."],
    ['self', 'Bad value for [paths] self in x.cfg, line 16: references are nested more than 10 deep (self -> self -> self -> self -> self -> self -> self -> self -> self -> self -> self); does a key refer to itself?'],
    ['a', 'Bad value for [paths] a in x.cfg, line 17: references are nested more than 10 deep (a -> b -> a -> b -> a -> b -> a -> b -> a -> b -> a); does a key refer to itself?'],
  ];
  for (const [key, message] of cases) {
    const err = errorOf(() => config.get('paths', key));
    t.equal(err.code, 'RH_ERR_INI_VALUE', key);
    t.equal(err.message, message);
  }
  t.equal(errorOf(() => config.items('paths')).code, 'RH_ERR_INI_VALUE', 'items() interpolates every value');
  t.equal(errorOf(() => config.getBoolean('paths', 'lone')).code, 'RH_ERR_INI_VALUE', 'typed getters interpolate first');
  t.equal(
    errorOf(() => config.getBoolean('paths', 'bad-bool')).message,
    "Not a boolean: '100%' ([paths] bad-bool in x.cfg, line 19); use 1, yes, true or on for true and 0, no, false or off for false.",
  );

  // Ten levels of nesting are allowed, as in configparser; the eleventh is not.
  const chain = (n: number) => ['[c]', 'k0 = end', ...Array.from({ length: n }, (_, i) => `k${i + 1} = %(k${i})s%%`)].join('\n');
  t.equal(parse(chain(10)).get('c', 'k10'), `end${'%'.repeat(10)}`);
  t.equal(errorOf(() => parse(chain(11)).get('c', 'k11')).code, 'RH_ERR_INI_VALUE');
});

t.test('an expansion bomb is stopped, not followed', async (t) => {
  const lines = ['[bomb]', `l0 = ${'x'.repeat(100)}%%`];
  for (let i = 1; i <= 9; i++) lines.push(`l${i} = ${`%(l${i - 1})s`.repeat(10)}`);
  const config = parse(lines.join('\n'));
  const err = errorOf(() => config.get('bomb', 'l9'));
  t.equal(err.message, 'Bad value for [bomb] l9 in x.cfg, line 11: it expands to more than 1048576 characters through its %(...)s references.');
  t.equal(config.get('bomb', 'l1')?.length, 1010, 'small expansions are fine');
});

t.test('typed getters', async (t) => {
  const config = parse(
    [
      '[general]',
      'yes1 = 1', 'yes2 = YES', 'yes3 = True', 'yes4 = on',
      'no1 = 0', 'no2 = No', 'no3 = FALSE', 'no4 = Off',
      'DEBUG = maybe',
      'port = 587', 'neg = -3', 'plus = +4', 'under = 1_000', 'zero = 000',
      'ratio = 2.5', 'exp = 1e3', 'dot = .5', 'negf = -0.25', 'intf = 7',
      'hosts = a.example.com, b.example.com,,  ,c.example.com',
      'lines = one',
      '  two',
      '  three',
      'semi = a; b ;c',
      'blank =',
    ].join('\n'),
  );
  for (const k of ['yes1', 'yes2', 'yes3', 'yes4']) t.equal(config.getBoolean('general', k), true, k);
  for (const k of ['no1', 'no2', 'no3', 'no4']) t.equal(config.getBoolean('general', k), false, k);
  const maybe = errorOf(() => config.getBoolean('general', 'debug'));
  t.equal(maybe.code, 'RH_ERR_INI_VALUE');
  t.equal(maybe.message, "Not a boolean: 'maybe' ([general] DEBUG in x.cfg, line 10); use 1, yes, true or on for true and 0, no, false or off for false.");

  t.equal(config.getInt('general', 'port'), 587);
  t.equal(config.getInt('general', 'neg'), -3);
  t.equal(config.getInt('general', 'plus'), 4);
  t.equal(config.getInt('general', 'under'), 1000, "'_' between digits, as Python's int()");
  t.equal(config.getInt('general', 'zero'), 0);
  t.equal(config.getFloat('general', 'ratio'), 2.5);
  t.equal(config.getFloat('general', 'exp'), 1000);
  t.equal(config.getFloat('general', 'dot'), 0.5);
  t.equal(config.getFloat('general', 'negf'), -0.25);
  t.equal(config.getFloat('general', 'intf'), 7);

  const bad = parse(
    ['[n]', 'empty =', 'trailing = 12abc', 'float = 1.5', 'hex = 0x10', 'huge = 99999999999999999999', 'double_ = 1__0', 'inf = inf', 'nan = nan', 'twodots = 1.2.3', 'lines = 1', '  2'].join('\n'),
  );
  const intMessage = (v: string, line: number, key: string) =>
    `Not an integer: '${v}' ([n] ${key} in x.cfg, line ${line}); write whole decimal digits like 587 (at most 9007199254740991).`;
  t.equal(errorOf(() => bad.getInt('n', 'empty')).message, intMessage('', 2, 'empty'));
  t.equal(errorOf(() => bad.getInt('n', 'trailing')).message, intMessage('12abc', 3, 'trailing'), 'stricter than parseInt');
  t.equal(errorOf(() => bad.getInt('n', 'float')).message, intMessage('1.5', 4, 'float'));
  t.equal(errorOf(() => bad.getInt('n', 'hex')).message, intMessage('0x10', 5, 'hex'));
  t.equal(errorOf(() => bad.getInt('n', 'huge')).message, intMessage('99999999999999999999', 6, 'huge'), 'beyond the safe integers');
  t.equal(errorOf(() => bad.getInt('n', 'double_')).message, intMessage('1__0', 7, 'double_'));
  t.equal(errorOf(() => bad.getInt('n', 'lines')).message, intMessage('1\\n2', 11, 'lines'), 'newlines are shown escaped');
  const floatMessage = (v: string, line: number, key: string) => `Not a number: '${v}' ([n] ${key} in x.cfg, line ${line}); write a finite decimal number like 2.5.`;
  t.equal(errorOf(() => bad.getFloat('n', 'empty')).message, floatMessage('', 2, 'empty'));
  t.equal(errorOf(() => bad.getFloat('n', 'trailing')).message, floatMessage('12abc', 3, 'trailing'), 'stricter than parseFloat');
  t.equal(errorOf(() => bad.getFloat('n', 'inf')).message, floatMessage('inf', 8, 'inf'));
  t.equal(errorOf(() => bad.getFloat('n', 'nan')).message, floatMessage('nan', 9, 'nan'));
  t.equal(errorOf(() => bad.getFloat('n', 'twodots')).message, floatMessage('1.2.3', 10, 'twodots'));
  t.equal(errorOf(() => bad.getBoolean('n', 'empty')).message, "Not a boolean: '' ([n] empty in x.cfg, line 2); use 1, yes, true or on for true and 0, no, false or off for false.");

  t.same(config.getList('general', 'hosts'), ['a.example.com', 'b.example.com', 'c.example.com'], 'trimmed, empties dropped');
  t.same(config.getList('general', 'lines', { separator: '\n' }), ['one', 'two', 'three']);
  t.same(config.getList('general', 'semi', { separator: ';' }), ['a', 'b', 'c']);
  t.same(config.getList('general', 'blank'), []);
  t.throws(() => config.getList('general', 'hosts', { separator: '' }), TypeError);
});

t.test('missing sections and keys: fallback or a message that names them', async (t) => {
  const config = parseConfig(LISTING_5_7, { source: 'production.cfg' });
  const noKey = errorOf(() => config.get('general', 'Debugging'));
  t.equal(noKey.code, 'RH_ERR_INI_MISSING');
  t.equal(noKey.message, "No option 'debugging' in section 'general' of production.cfg. Add it to the file, or pass { fallback } to make it optional.");
  const noSection = errorOf(() => config.getBoolean('General', 'DEBUG'));
  t.equal(noSection.code, 'RH_ERR_INI_MISSING');
  t.equal(noSection.message, "No section 'General' in production.cfg (sections: 'general', 'databases', 'security'; names are case-sensitive).");
  t.equal(errorOf(() => config.keys('nope')).code, 'RH_ERR_INI_MISSING');
  t.equal(errorOf(() => config.items('nope')).code, 'RH_ERR_INI_MISSING');
  t.equal(errorOf(() => parse('').get('a', 'b')).message, "No section 'a' in x.cfg (sections: none; names are case-sensitive).");

  t.equal(config.get('general', 'missing', { fallback: 'x' }), 'x');
  t.equal(config.get('nosection', 'missing', { fallback: null }), null);
  t.equal(config.getBoolean('general', 'missing', { fallback: true }), true);
  t.equal(config.getBoolean('nosection', 'x', { fallback: undefined }), undefined, 'an explicit undefined fallback counts');
  t.equal(config.getInt('general', 'missing', { fallback: 8000 }), 8000);
  t.equal(config.getFloat('general', 'missing', { fallback: 1.5 }), 1.5);
  t.same(config.getList('general', 'missing', { fallback: ['a'] }), ['a']);
  t.equal(config.getString('general', 'missing', { fallback: 'y' }), 'y');
  t.equal(config.getBoolean('general', 'DEBUG', { fallback: true }), false, 'a present key ignores the fallback');
  t.equal(errorOf(() => config.getInt('general', 'DEBUG', { fallback: 1 })).code, 'RH_ERR_INI_VALUE', 'a malformed value is an error even with a fallback');
  t.equal(errorOf(() => config.get('general', 'missing', {})).code, 'RH_ERR_INI_MISSING', 'no fallback key, no fallback');
});

t.test('hostile names are plain data; nothing is polluted', async (t) => {
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  const config = parse(
    [
      '[__proto__]',
      'polluted = yes',
      '__proto__ = x',
      '[constructor]',
      'prototype = p',
      '[hasOwnProperty]',
      'toString = t',
      'constructor = c',
      'valueOf = v',
      '__defineGetter__ = g',
    ].join('\n'),
    { defaults: JSON.parse('{"__proto__": "from-defaults", "isPrototypeOf": "i"}') as Record<string, string> },
  );
  t.same(config.sections(), ['__proto__', 'constructor', 'hasOwnProperty']);
  t.equal(config.get('__proto__', 'polluted'), 'yes');
  t.equal(config.get('__proto__', '__proto__'), 'x');
  t.equal(config.get('constructor', '__proto__'), 'from-defaults');
  t.equal(config.get('constructor', 'prototype'), 'p');
  t.equal(config.get('hasOwnProperty', 'toString'), 't');
  t.equal(config.get('hasOwnProperty', 'tostring'), 't');
  t.equal(config.get('hasOwnProperty', 'constructor'), 'c');
  t.equal(config.get('constructor', 'isprototypeof'), 'i');
  t.notOk(config.has('constructor', 'toString'), 'inherited names are not keys');
  t.notOk(config.hasSection('toString'));
  t.equal(errorOf(() => config.get('toString', 'x')).code, 'RH_ERR_INI_MISSING');
  t.equal(errorOf(() => config.get('constructor', 'valueOf')).code, 'RH_ERR_INI_MISSING');
  const items = Object.fromEntries(config.items('hasOwnProperty'));
  t.equal(items.tostring, 't');
  t.equal(({} as Record<string, unknown>).polluted, undefined);
  t.equal(Object.getPrototypeOf({}), Object.prototype);
  t.same(Object.getOwnPropertyNames(Object.prototype).sort(), protoBefore, 'Object.prototype untouched');
});

t.test('line endings, BOM, long lines', async (t) => {
  const crlf = parse('\uFEFF[a]\r\nk = 1\r\n  two\r\n\r\nj: 2\r\n');
  t.same(crlf.sections(), ['a'], 'the BOM is not part of the first header');
  t.equal(crlf.get('a', 'k'), '1\ntwo');
  t.equal(crlf.get('a', 'j'), '2', 'no stray \\r');
  const cr = parse('[a]\rk = 1\r  two\rj = 2');
  t.equal(cr.get('a', 'k'), '1\ntwo', 'old Mac line ends are line ends, as in Python');
  t.equal(cr.get('a', 'j'), '2');
  const errCrlf = errorOf(() => parse('[a]\r\nk = 1\r\nk = 2\r\n'));
  t.equal(errCrlf.message, "x.cfg, line 3: duplicate key 'k' in section [a] (first set on line 2).", 'line numbers count CRLF once');

  const dir = tempDir(t);
  const file = join(dir, 'bom.cfg');
  writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[general]\r\nDEBUG = off\r\n')]));
  t.equal(readConfig(file).getBoolean('general', 'DEBUG'), false);

  const long = `[a]\nk = ${'%%'.repeat(200_000)}${'('.repeat(100_000)}\n${'['.repeat(100_000)}`;
  const err = errorOf(() => parse(long));
  t.match(err.message, /^x\.cfg, line 3: '\[{57}\.\.\.' opens a section header but has no closing '\]'\.$/, 'shown text is shortened');
});

t.test('files: missing, not a file, binary, not UTF-8, too large', async (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'production.cfg');
  const notFound = errorOf(() => readConfig(missing));
  t.equal(notFound.code, 'RH_ERR_INI_MISSING');
  t.equal(notFound.message, `Configuration file ${missing} does not exist. Check the path (build it from projectPaths(import.meta.url)).`);
  t.equal(errorOf(() => readConfig(join(missing, 'under-a-missing-folder.cfg'))).code, 'RH_ERR_INI_MISSING');

  const folder = errorOf(() => readConfig(dir));
  t.equal(folder.code, 'RH_ERR_INI_PARSE');
  t.equal(folder.message, `Cannot read configuration file ${dir}: it is not a regular file.`);
  t.equal(errorOf(() => readConfig('/dev/zero')).message, 'Cannot read configuration file /dev/zero: it is not a regular file.', 'never read forever');

  const binary = join(dir, 'image.cfg');
  writeFileSync(binary, Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
  const bin = errorOf(() => readConfig(binary));
  t.equal(bin.code, 'RH_ERR_INI_PARSE');
  t.equal(bin.message, `Cannot read configuration file ${binary}: it looks like a binary file (a NUL byte on line 3); a configuration file is UTF-8 text.`);

  const latin1 = join(dir, 'latin1.cfg');
  writeFileSync(latin1, Buffer.from('[a]\nname = caf\xe9\n', 'latin1'));
  t.equal(errorOf(() => readConfig(latin1)).message, `Cannot read configuration file ${latin1}: it is not valid UTF-8 text; save it as UTF-8.`);

  const big = join(dir, 'big.cfg');
  writeFileSync(big, '[a]\n');
  truncateSync(big, MAX_CONFIG_BYTES + 1024 * 1024);
  const tooBig = errorOf(() => readConfig(big));
  t.equal(tooBig.code, 'RH_ERR_INI_PARSE');
  t.equal(tooBig.message, `Cannot read configuration file ${big}: it is 11.0 MiB, over the 10 MiB a configuration file may have (is it the right file?).`);
  t.equal(errorOf(() => parse('x'.repeat(MAX_CONFIG_BYTES + 1))).code, 'RH_ERR_INI_PARSE');
  t.equal(errorOf(() => parse('[a]\nk = \0')).message, 'Cannot read configuration file x.cfg: it looks like binary data (a NUL character on line 2).');
});

t.test('a Config never prints its values', async (t) => {
  const config = parseConfig(LISTING_5_7, { source: 'production.cfg' });
  const shown = inspect(config);
  t.equal(shown, 'Config { source: "production.cfg", sections: ["general","databases","security"] }');
  t.notMatch(shown, /secretpass|ea\)cjy/);
  t.equal(JSON.stringify(config), '{"source":"production.cfg"}');
});
