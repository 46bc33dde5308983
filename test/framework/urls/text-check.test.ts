/**
 * The built-in converters' loop checks (converters.ts textCheck) accept exactly what their
 * regexes accept: every UTF-16 code unit alone, in the middle and at the ends of a text, the
 * empty text; a converter of the site's own is checked by its regex.
 */
import t from 'tap';
import { getConverter, textCheck } from '../../../framework/src/urls/converters.js';

function samples(): string[] {
  const out = ['', 'latte', 'flat-white_2', '12345', '0', 'a/b', '/', 'x\ny', '\u2028', 'caf\u00e9', '-', '_'];
  for (let code = 0; code < 0x10000; code++) {
    const c = String.fromCharCode(code);
    out.push(c, `ab${c}`, `${c}12`, `a${c}b`);
  }
  return out;
}

for (const name of ['int', 'slug', 'str', 'path', 'uuid']) {
  t.test(`<${name}:...> accepts what its regex accepts`, async (t) => {
    const converter = getConverter(name, 'test');
    const check = textCheck(converter);
    const regex = new RegExp(`^(?:${converter.regex})$`);
    const wrong = samples().filter((s) => check.test(s) !== regex.test(s));
    t.same(wrong.map((s) => JSON.stringify(s)).slice(0, 5), [], 'every sample');
  });
}

t.test("a converter of the site's own is checked by its regex", async (t) => {
  const check = textCheck({ regex: '[0-9]{4}', toValue: (s) => s, toUrl: (v) => String(v) });
  t.ok(check instanceof RegExp);
  t.ok(check.test('2026'));
  t.notOk(check.test('20266'));
});
