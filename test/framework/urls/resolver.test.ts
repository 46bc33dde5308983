import t from 'tap';
import { ImproperlyConfigured, NoReverseMatch } from '../../../framework/src/errors.js';
import { HttpResponse } from '../../../framework/src/http/response.js';
import { include, path, type View } from '../../../framework/src/urls/patterns.js';
import { registerConverter } from '../../../framework/src/urls/converters.js';
import { buildResolver, parseRoute } from '../../../framework/src/urls/resolver.js';

const view: View = () => new HttpResponse('ok');
const other: View = () => new HttpResponse('other');

const stores = {
  appName: 'stores',
  urlpatterns: [
    path('', view, { name: 'index' }),
    path('<int:store_id>/', view, { name: 'detail' }),
    path('<slug:slug>/', other, { name: 'by-slug' }),
    path('files/<path:rest>', view, { name: 'files' }),
    path('<slug:a>-<int:b>/', view, { name: 'mixed' }),
  ],
};

const root = {
  urlpatterns: [
    path('', view, { name: 'home' }),
    path('about/', view, { name: 'about' }),
    path('stores/', include(stores)),
    path('shop/', include(stores, { namespace: 'shop' })),
    path('u/<uuid:id>/', view, { name: 'uuid' }),
    path('caf\u00e9/', view, { name: 'cafe' }),
  ],
};

t.test('routes compile to Fastify URLs, or to the fallback when the router cannot express them', async (t) => {
  const r = await buildResolver(root, process.cwd());
  const byRoute = new Map(r.routes.map((x) => [x.route, x]));
  t.equal(byRoute.get('')?.fastifyUrl, '/');
  t.equal(byRoute.get('about/')?.fastifyUrl, '/about/');
  t.equal(byRoute.get('stores/<int:store_id>/')?.fastifyUrl, '/stores/:p0/');
  t.equal(byRoute.get('stores/files/<path:rest>')?.fastifyUrl, '/stores/files/*');
  t.equal(byRoute.get('stores/<slug:a>-<int:b>/')?.fastifyUrl, null, 'a mixed segment is matched in the fallback');
  const groups = r.fastifyGroups();
  t.same(
    groups.get('/stores/:p0/')?.map((x) => x.name),
    ['stores:detail', 'stores:by-slug'],
    'same-shape patterns share a route, in URLconf order',
  );
});

t.test('resolve follows Django: first match in order, converters, decoding', async (t) => {
  const r = await buildResolver(root, process.cwd());
  t.equal(r.resolve('/stores/7/')?.route.name, 'stores:detail');
  t.same(r.resolve('/stores/7/')?.params, { store_id: 7 });
  t.same(r.resolve('/stores/9007199254740991/')?.params, { store_id: 9007199254740991 }, 'the largest exact integer');
  t.equal(r.resolve('/stores/9007199254740993/')?.route.name, 'stores:by-slug', 'one past it is no int (it would reach the view as another number)');
  t.equal(r.resolve('/u/99999999999999999999999999/'), undefined);
  t.equal(r.resolve('/stores/espresso-bar/')?.route.name, 'stores:by-slug');
  t.same(r.resolve('/stores/files/a/b/c.txt')?.params, { rest: 'a/b/c.txt' });
  t.same(r.resolve('/stores/latte-3/')?.params, { slug: 'latte-3' }, 'the slug pattern comes first and matches');
  t.equal(r.resolve('/caf%C3%A9/')?.route.name, 'cafe', 'percent-encoded paths are decoded');
  t.equal(r.resolve('/stores/a%2Fb/'), undefined, 'an encoded slash does not satisfy a slug');
  t.equal(r.resolve('/%E0%A4%A/'), undefined, 'broken encoding matches nothing');
  t.equal(r.resolve('/about'), undefined);
  t.equal(r.resolve('/u/not-a-uuid/'), undefined);
  t.ok(r.resolve('/u/123e4567-e89b-12d3-a456-426614174000/'));
});

t.test('reverse builds URLs and explains failures', async (t) => {
  const r = await buildResolver(root, process.cwd());
  t.equal(r.reverse('home'), '/');
  t.equal(r.reverse('stores:detail', { store_id: 3 }), '/stores/3/');
  t.equal(r.reverse('stores:detail', [3]), '/stores/3/');
  t.equal(r.reverse('shop:detail', { store_id: 3 }), '/shop/3/', 'an instance namespace');
  t.equal(r.reverse('stores:files', { rest: 'a b/c' }), '/stores/files/a%20b/c');
  // Django 3.2's reverse() gives /files/a%3Fb%23c%25d%20e!$&'()*+,;=:@~/%C3%BC for this value.
  t.equal(r.reverse('stores:files', { rest: "a?b#c%d e!$&'()*+,;=:@~/ü" }), "/stores/files/a%3Fb%23c%25d%20e!$&'()*+,;=:@~/%C3%BC", "Django's encoding");
  t.equal(r.reverse('stores:files', ['x/y']), '/stores/files/x/y', 'positional, nothing to encode');
  t.equal(r.reverse('cafe'), '/caf%C3%A9/');
  // From JavaScript (a template's url('home', null)): null is no parameters, as undefined is.
  t.equal(r.reverse('home', null as unknown as Record<string, unknown>), '/', 'null parameters');
  t.throws(() => r.reverse('stores:detail', null as unknown as Record<string, unknown>), { name: 'NoReverseMatch' }, 'null is not a store_id');
  t.throws(() => r.reverse('stores:detail', { store_id: 'x' }), {
    message: `Reverse for 'stores:detail' with keyword arguments '{"store_id":"x"}' not found. 1 pattern(s) tried: ['stores/<int:store_id>/']`,
  });
  t.throws(() => r.reverse('nope'), new NoReverseMatch("Reverse for 'nope' not found. 'nope' is not a valid view function or pattern name."));
  t.throws(() => r.reverse('blog:post'), { message: "'blog' is not a registered namespace" });
  t.throws(() => r.reverse('stores:detail', { store_id: 1, extra: 2 }), NoReverseMatch);
});

t.test('reverse: values of int, slug and uuid pass their check unencoded; other converters are encoded', async (t) => {
  registerConverter('word', { regex: '[^/]+', toValue: (s) => s, toUrl: (v) => String(v) });
  const r = await buildResolver(
    { urlpatterns: [...root.urlpatterns, path('w/<word:w>/', view, { name: 'word' }), path('s/<slug:s>/<int:n>/', view, { name: 'two' })] },
    process.cwd(),
  );
  t.equal(r.reverse('two', { s: 'flat-white_2', n: 12 }), '/s/flat-white_2/12/');
  t.equal(r.reverse('uuid', ['0b5e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b']), '/u/0b5e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/');
  t.throws(() => r.reverse('two', { s: 'caf\u00e9', n: 1 }), NoReverseMatch, 'a slug check refuses what would need encoding');
  t.throws(() => r.reverse('two', { s: 'a b', n: 1 }), NoReverseMatch);
  t.equal(r.reverse('word', { w: 'caf\u00e9 au lait' }), '/w/caf%C3%A9%20au%20lait/', "a site's converter is encoded");
});

t.test('malformed routes are refused at boot with the route named', async (t) => {
  t.throws(() => parseRoute('/about/'), { message: /starts with '\/'.*write 'about\/'/ });
  t.throws(() => parseRoute('<nope:x>/'), { message: /invalid converter 'nope'/ });
  t.throws(() => parseRoute('<int:1x>/'), { message: /not a valid identifier/ });
  t.throws(() => parseRoute('<int:a>/<str:a>/'), { message: /more than once/ });
  t.throws(() => parseRoute('a>b/'), ImproperlyConfigured);
});

t.test('include by dotted name names the missing module and the files tried', async (t) => {
  await t.rejects(buildResolver({ urlpatterns: [path('x/', include('missing.urls'))] }, '/nonexistent-base'), {
    message: /include\(\) 'missing\.urls' could not be found\. Tried:\n  missing\/urls\.ts/,
  });
  await t.rejects(buildResolver({ urlpatterns: [path('x/', include('../etc.passwd'))] }, '/tmp'), {
    message: /not a dotted module name/,
  });
});
