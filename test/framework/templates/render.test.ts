/**
 * What rendering does with data and with failures: template errors named with their line,
 * autoescape, the merge of globals / context processors / view context, and fromString.
 */
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ImproperlyConfigured, NoReverseMatch, TemplateSyntaxError } from '../../../framework/src/errors.js';
import { createTemplateEngine, LazyString, type TemplateRequest } from '../../../framework/src/templates/index.js';
import { makeProject, thrown } from '../../fixtures/templates/project.js';

function engineFor(t: Test, files: Record<string, string>, user: Record<string, unknown> = {}, options: Record<string, unknown> = {}, globals?: Record<string, unknown>) {
  const project = makeProject(t, files);
  const settings = project.settings({
    DEBUG: false,
    TEMPLATES: [{ BACKEND: 'eta', DIRS: [join(project.baseDir, 'templates')], OPTIONS: options }],
    ...user,
  });
  return { project, engine: createTemplateEngine(settings, { globals }) };
}

function syntaxError(fn: () => unknown): TemplateSyntaxError {
  const err = thrown(fn);
  if (!(err instanceof TemplateSyntaxError)) throw new Error(`expected a TemplateSyntaxError, got ${String(err)}`);
  return err;
}

t.test('errors name the template and the line', async (t) => {
  for (const debug of [false, true]) {
    const { engine } = engineFor(
      t,
      {
        'templates/throws.html': 'line 1\nline 2\n<p><%= it.store.name %></p>\nline 4\n',
        'templates/throws-exec.html': 'a\n<% if (it.flag) { %>\n<% const x = null; x.go(); %>\n<% } %>\n',
        'templates/unclosed.html': 'one\ntwo\n<p><%= it.name </p>\nfour\n',
        'templates/unclosed-string.html': 'one\n<%= "abc %>\n',
        'templates/bad-js.html': 'one\ntwo\nthree\n<%= it.a it.b %>\nfive\n',
        'templates/bad-js-multiline.html': 'one\n<%\n  const a = 1;\n  const b = (;\n%>\nsix\n',
        'templates/open-block.html': 'one\n<% for (const x of it.xs) { %>\n<%= x %>\n<% if (x) { %>y<% } %>\nend\n',
        'templates/extra-brace.html': 'one\ntwo\n<% } %>\nfour\n',
        'templates/redeclare.html': '<% let x = 1 %>\n\n<% let x = 2 %>\n',
        'templates/outer.html': 'outer 1\n<%~ include("inner.html") %>\n',
        'templates/inner.html': 'inner 1\ninner 2\n<%= it.missing.prop %>\n',
        'templates/layout-user.html': '<% layout("broken-layout.html") %>\nbody\n',
        'templates/broken-layout.html': 'L1\n<%~ it.body %>\n<%= it.nothing.here %>\n',
        'templates/syntax-include.html': 'x\n<%~ include("bad-js.html") %>\n',
      },
      { DEBUG: debug },
    );
    const tag = `DEBUG ${debug}`;

    let err = syntaxError(() => engine.renderToString('throws.html', {}));
    t.equal(err.template, 'throws.html', tag);
    t.equal(err.line, 3, `${tag}: a throwing expression on line 3`);
    t.equal(err.code, 'RH_ERR_TEMPLATE_SYNTAX');
    t.match(err.message, /^Error in template throws\.html, line 3: TypeError: /);
    t.type(err.cause, TypeError, 'the original error is the cause');

    err = syntaxError(() => engine.renderToString('throws-exec.html', { flag: true }));
    t.equal(err.line, 3, `${tag}: a throwing statement`);

    err = syntaxError(() => engine.renderToString('unclosed.html'));
    t.equal(err.line, 3, `${tag}: an unclosed tag`);
    t.match(err.message, /unclosed tag \(column 4\)/);
    t.ok(err.cause, 'eta parse error kept as cause');

    err = syntaxError(() => engine.renderToString('unclosed-string.html'));
    t.equal(err.line, 2, `${tag}: an unclosed string`);

    err = syntaxError(() => engine.renderToString('bad-js.html'));
    t.equal(err.line, 4, `${tag}: a JavaScript syntax error inside a tag`);
    t.match(err.message, /line 4: SyntaxError: /);
    t.type(err.cause, SyntaxError);

    err = syntaxError(() => engine.renderToString('bad-js-multiline.html'));
    t.equal(err.line, 4, `${tag}: the line inside a multi-line tag`);

    err = syntaxError(() => engine.renderToString('open-block.html', { xs: [] }));
    t.equal(err.line, 2, `${tag}: the tag that opened a block never closed`);
    t.match(err.message, /never closed/);

    err = syntaxError(() => engine.renderToString('extra-brace.html'));
    t.equal(err.line, 3, `${tag}: a '}' that closes nothing`);

    err = syntaxError(() => engine.renderToString('redeclare.html'));
    t.equal(err.line, 3, `${tag}: a redeclared variable`);

    err = syntaxError(() => engine.renderToString('outer.html'));
    t.equal(err.template, 'inner.html', `${tag}: the innermost template is named`);
    t.equal(err.line, 3);

    err = syntaxError(() => engine.renderToString('layout-user.html'));
    t.equal(err.template, 'broken-layout.html', `${tag}: errors in a layout name the layout`);
    t.equal(err.line, 3);

    err = syntaxError(() => engine.renderToString('syntax-include.html'));
    t.equal(err.template, 'bad-js.html', `${tag}: compile errors of an include name the include`);
    t.equal(err.line, 4);

    err = syntaxError(() => engine.fromString('a\n<%= it.x.y %>'));
    t.equal(err.template, '<string>');
    t.equal(err.line, 2);

    const asyncErr = await engine.renderAsync('throws.html', {}).catch((e: unknown) => e);
    t.type(asyncErr, TemplateSyntaxError);
    t.equal((asyncErr as TemplateSyntaxError).line, 3, `${tag}: async renders too`);
  }
});

t.test('errors from helpers are wrapped with the location; template errors pass through', async (t) => {
  const url = (name: string): string => {
    throw new NoReverseMatch(`Reverse for '${name}' not found.`);
  };
  const { engine } = engineFor(t, { 'templates/links.html': 'a\nb\n<a href="<%= it.url("nope") %>">' }, {}, {}, { url });
  const err = syntaxError(() => engine.renderToString('links.html'));
  t.equal(err.line, 3);
  t.type(err.cause, NoReverseMatch);
  t.match(err.message, "NoReverseMatch: Reverse for 'nope' not found.");
  const odd = syntaxError(() => engine.fromString('<% throw "plain string" %>'));
  t.match(odd.message, /non-Error value was thrown: plain string/);
});

t.test('autoescape', async (t) => {
  const files = { 'templates/x.html': '<%= it.v %>|<%~ it.v %>' };
  const value = `<script>alert("x" & 'y')</script>`;
  const on = engineFor(t, files).engine;
  t.equal(on.renderToString('x.html', { v: value }), `&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;|${value}`);
  const off = engineFor(t, files, {}, { autoescape: false }).engine;
  t.equal(off.renderToString('x.html', { v: value }), `${value}|${value}`);
  const explicit = engineFor(t, files, {}, { autoescape: true }).engine;
  t.equal(explicit.fromString('<%= it.v %>', { v: '<b>' }), '&lt;b&gt;');
});

t.test('globals, context processors and the view context', async (t) => {
  const files = {
    'templates/show.html': '<%= JSON.stringify(Object.keys(it).sort()) %>',
    'templates/links.html': '<%= it.url("stores:detail", { id: 3 }) %> <%= it.static("css/site.css") %>',
    'templates/layout-links.html': '<% layout("base.html") %><%~ include("part.html") %>',
    'templates/base.html': '[<%~ it.body %>|<%= it.url("home") %>]',
    'templates/part.html': '<%= it.static("a.png") %>',
    'templates/csrf.html': '<input value="<%= it.csrfToken %>"><%~ it.csrfToken %>',
    'templates/maybe-csrf.html': 'x',
  };
  const globals = {
    url: (name: string, params?: Record<string, unknown>) => `/${name}/${params ? JSON.stringify(params) : ''}`,
    static: (path: string) => `/static/${path}`,
    site: 'global',
    shadowed: 'global',
  };
  const custom = (request: TemplateRequest) => ({ shadowed: 'processor', addr: request.remoteAddr });
  const { engine } = engineFor(
    t,
    files,
    { DEBUG: true, INTERNAL_IPS: ['127.0.0.1'], STATIC_URL: '/static/' },
    { context_processors: ['debug', 'request', 'static', 'csrf', custom] },
    globals,
  );

  t.equal(engine.renderToString('links.html'), '/stores:detail/{&quot;id&quot;:3} /static/css/site.css', 'helpers callable from templates');
  t.equal(engine.renderToString('layout-links.html'), '[/static/a.png|/home/]', 'and from layouts and includes');

  // Without a request, no processor runs (Django's render_to_string without a request).
  t.equal(engine.fromString('<%= Object.keys(it).sort().join() %>'), 'shadowed,site,static,url');

  let tokens = 0;
  const request = { remoteAddr: '127.0.0.1', csrfToken: () => `tok${++tokens}` };
  const data = (ctx: Record<string, unknown>, req: TemplateRequest) =>
    engine.fromString('<%= it.shadowed %> <%= it.debug %> <%= it.STATIC_URL %> <%= it.addr %> <%= it.request === it.req %>', ctx, req);
  t.equal(data({ req: request }, request), 'processor true /static/ 127.0.0.1 true', 'processors override globals');
  t.equal(data({ req: request, shadowed: 'view' }, request), 'view true /static/ 127.0.0.1 true', 'the view context wins');
  t.equal(
    engine.renderToString('show.html', {}, request),
    '[&quot;STATIC_URL&quot;,&quot;addr&quot;,&quot;csrfInput&quot;,&quot;csrfToken&quot;,&quot;debug&quot;,&quot;request&quot;,&quot;shadowed&quot;,&quot;site&quot;,&quot;static&quot;,&quot;url&quot;]',
  );

  // The debug processor: only for INTERNAL_IPS (an IPv4 client on a dual-stack socket counts).
  t.equal(engine.fromString('<%= it.debug %>', {}, { remoteAddr: '::ffff:127.0.0.1' }), 'true');
  t.equal(engine.fromString('<%= "debug" in it %>', {}, { remoteAddr: '10.0.0.9' }), 'false');
  t.equal(engine.fromString('<%= "debug" in it %>', {}, {}), 'false');

  // csrf: lazy, computed once per render, only when the request offers a token.
  tokens = 0;
  t.equal(engine.renderToString('maybe-csrf.html', {}, request), 'x');
  t.equal(tokens, 0, 'a template that does not print the token does not compute it');
  t.equal(engine.renderToString('csrf.html', {}, request), '<input value="tok1">tok1');
  t.equal(tokens, 1, 'computed once');
  t.equal(engine.fromString('<%= "csrfToken" in it %>', {}, { remoteAddr: '1.2.3.4' }), 'false');

  const lazy = new LazyString(() => 'v');
  t.equal(`${lazy}`, 'v');
  t.equal(JSON.stringify({ lazy }), '{"lazy":"v"}');
  t.equal(lazy + '!', 'v!');

  // DEBUG false: the debug processor adds nothing, even for internal IPs.
  const prod = engineFor(t, files, { DEBUG: false, INTERNAL_IPS: ['127.0.0.1'] }, { context_processors: ['debug'] }).engine;
  t.equal(prod.fromString('<%= "debug" in it %>', {}, { remoteAddr: '127.0.0.1' }), 'false');

  // No globals and no processors: the view's own data is what the template sees.
  const bare = engineFor(t, files).engine;
  t.equal(bare.fromString('<%= it.a %>', { a: 1 }, request), '1');
  t.equal(bare.fromString('<%= Object.keys(it).length %>'), '0');
});

t.test('template data is read-only, and the view keeps its own object as it was', async (t) => {
  const files = {
    'templates/assign.html': '<% it.title = "changed" %><%= it.title %> <%= Object.isFrozen(it) %>',
    'templates/page.html': '<% layout("frame.html") %><%~ include("part.html", { extra: 1 }) %>',
    'templates/frame.html': '<%= Object.isFrozen(it) %>[<%~ it.body %>]',
    'templates/part.html': '<%= Object.isFrozen(it) %>:<%= it.extra %>:<%= it.title %>',
  };
  const request: TemplateRequest = { remoteAddr: '127.0.0.1' };
  const setups: [string, Record<string, unknown>, Record<string, unknown> | undefined][] = [
    ['with context processors', { context_processors: ['request'] }, undefined],
    ['with globals only', {}, { site: 'coffeehouse' }],
    ['with neither', {}, undefined],
  ];
  for (const [label, options, globals] of setups) {
    const { engine } = engineFor(t, files, {}, options, globals);
    const context = { title: 'Menu' };
    t.equal(engine.renderToString('assign.html', context, request), 'Menu true', `${label}: assigning to it changes nothing`);
    t.notOk(Object.isFrozen(context), `${label}: the view's own object is not frozen`);
    t.equal(engine.renderToString('page.html', context, request), 'true[true:1:Menu]', `${label}: layouts and includes get read-only data too`);
    t.equal(await engine.renderAsync('page.html', context, request), 'true[true:1:Menu]', `${label}: and so do async renders`);
  }
});

t.test('includes and layouts get a copy of the caller\'s data, as eta\'s spreads made it', async (t) => {
  const files = {
    'templates/page.html': '<% layout("frame.html", { side: "s" }) %><%~ include("part.html", { extra: 1, title: "Part" }) %>',
    'templates/frame.html': '<%~ JSON.stringify(Object.keys(it)) %>|<%= it.side %>|<%= Object.hasOwn(it, "__proto__") %>|<%= Object.getPrototypeOf(it) === Object.prototype %>[<%~ it.body %>]',
    'templates/part.html': '<%~ JSON.stringify(Object.keys(it)) %>:<%= it.title %>:<%= Object.hasOwn(it, "__proto__") %>',
  };
  const { engine } = engineFor(t, files);
  const context = { title: 'Menu', body: 'from the view' };
  t.equal(
    engine.renderToString('page.html', context),
    '["title","body","side","__blocks"]|s|false|true[["title","body","extra"]:Part:false]',
    'keys in spread order, the layout data and body over the caller\'s',
  );
  t.equal(await engine.renderAsync('page.html', context), engine.renderToString('page.html', context), 'async renders the same');
  // An own '__proto__' key (JSON.parse makes one) stays a key, as a spread keeps it.
  const odd = JSON.parse('{"title": "Odd", "__proto__": {"polluted": true}}') as Record<string, unknown>;
  t.equal(
    engine.renderToString('page.html', odd),
    '["title","__proto__","body","side","__blocks"]|s|true|true[["title","__proto__","extra"]:Part:true]',
    'an own __proto__ key is copied as a key, never taken for the prototype',
  );
  // The copies are made by the framework, not by eta's spreads (eta's generated code is matched
  // by text: a new eta that writes it otherwise fails here, and would keep its slower spreads).
  const compiled = String((engine as unknown as { eta: { compile(s: string): unknown } }).eta.compile('<% layout("x") %><%~ include("y") %>'));
  t.match(compiled, /this\.copyThenRender\(__eta_t, it, __eta_d, options\)/, 'includes');
  t.match(compiled, /this\.copyThenRender\(__eta\.layout, it, /, 'layouts');
  t.notMatch(compiled, /\{\.\.\.it,/, 'no spread of it left');
});

t.test('context processor configuration errors', async (t) => {
  const unknown = thrown(() => engineFor(t, {}, {}, { context_processors: ['debug', 'auth'] }));
  t.type(unknown, ImproperlyConfigured);
  t.equal((unknown as ImproperlyConfigured).code, 'RH_ERR_UNKNOWN_COMPONENT');
  t.match(
    (unknown as Error).message,
    "TEMPLATES[0].OPTIONS.context_processors[1]: unknown context processor 'auth'. Known: 'debug', 'request', 'static', 'csrf', 'messages'",
  );
  const notFn = thrown(() => engineFor(t, {}, {}, { context_processors: [42] }));
  t.type(notFn, ImproperlyConfigured);
  const notList = thrown(() => engineFor(t, {}, {}, { context_processors: 'debug' }));
  t.match((notList as Error).message, /context_processors: expected a list/);

  const { engine } = engineFor(t, {}, {}, { context_processors: [function broken() { return 'nope'; }] });
  const err = thrown(() => engine.fromString('x', {}, {}));
  t.type(err, ImproperlyConfigured);
  t.match((err as Error).message, /context_processors\[0\] \(broken\) must return an object/);
});

t.test('eta options that pass through', async (t) => {
  const { engine } = engineFor(t, { 'templates/w.html': '  <p>\n\n   x  \n' }, {}, { rmWhitespace: true, tags: ['{{', '}}'], functionHeader: 'const greet = "hi";' });
  t.equal(engine.renderToString('w.html'), '<p>\nx');
  t.equal(engine.fromString('{{= greet }} {{= it.a }}', { a: 1 }), 'hi 1');
  const bad = thrown(() => engineFor(t, {}, {}, { tags: ['{{'] }));
  t.match((bad as Error).message, /OPTIONS\.tags: expected a pair of strings/);
  const header = engineFor(t, {}, {}, { functionHeader: 'throw new Error("in header");' }).engine;
  const err = syntaxError(() => header.fromString('x'));
  t.equal(err.template, '<string>');
  t.equal(err.line, undefined, 'code before the template has no template line');
});
