/** The error catalogue, its classes and docs/errors.md stay in step. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import * as errors from '../../framework/src/errors.js';
import { statusForError } from '../../framework/src/http/error-funnel.js';
import { REPO } from '../helpers.js';

const docs = readFileSync(join(REPO, 'docs', 'errors.md'), 'utf8');
const codes = Object.keys(errors.ERROR_CODES);

/** One instance of an exported error class, built with arguments its constructor takes. */
function make(name: string): errors.ReinhardtError {
  switch (name) {
    case 'TemplateDoesNotExist':
      return new errors.TemplateDoesNotExist('x.html', []);
    case 'TemplateSyntaxError':
      return new errors.TemplateSyntaxError('x.html', 1, 'detail');
    case 'SettingsValidationError':
      return new errors.SettingsValidationError([{ setting: 'DEBUG', message: 'm' }]);
    case 'BadHeaderError':
      return new errors.BadHeaderError('Subject', 'a\nb');
    case 'IniError':
      return new errors.IniError('RH_ERR_INI_PARSE', 'm');
    case 'EnvError':
      return new errors.EnvError('RH_ERR_ENV_MISSING', 'm');
    case 'ReinhardtError':
      return new errors.ReinhardtError('RH_ERR_COMMAND', 'm');
    default:
      return new ((errors as Record<string, unknown>)[name] as new (m: string) => errors.ReinhardtError)('m');
  }
}

const classNames = Object.entries(errors)
  .filter(([, v]) => typeof v === 'function' && (v === errors.ReinhardtError || v.prototype instanceof errors.ReinhardtError))
  .map(([k]) => k);

t.test('docs/errors.md lists exactly the catalogue, with the funnel\'s statuses', async (t) => {
  t.equal(new Set(codes).size, codes.length, 'codes are unique');
  const rows = [...docs.matchAll(/^\| `(RH_ERR_[A-Z0-9_]+)` \| `([^`]+)` \| (\d*) \|/gm)];
  t.same(rows.map((m) => m[1]).sort(), [...codes].sort());
  for (const [, , cls, status] of rows) {
    for (const name of cls!.split(', ')) {
      t.ok(classNames.includes(name), `${name} is an exported error class`);
      t.equal(statusForError(make(name)), status ? Number(status) : 500, `${name} → ${status || 500}`);
    }
  }
});

t.test('every class carries a code from the catalogue and its own name', async (t) => {
  for (const name of classNames) {
    const e = make(name);
    t.ok(codes.includes(e.code), `${name} → ${e.code}`);
    t.equal(e.name, name);
    t.ok(docs.includes(`\`${e.code}\``), `${e.code} is documented`);
  }
});
