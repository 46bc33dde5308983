/**
 * The production build (`npm run build`, as the README's Deploying section runs it): the
 * bundled framework and the compiled coffeehouse serve the site with `serve` and no TypeScript
 * loader, stack traces point at the .ts lines (with Node's --enable-source-maps, and without it
 * through the framework's own mapping), and names survive the bundling.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { cleanEnv, REPO, run, startServer } from '../helpers.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const DIST = join(REPO, 'dist');

function npmBuild(): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NPM, ['run', 'build'], { cwd: REPO, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

t.test('npm run build: serve runs the coffeehouse from dist/ without a loader', async (t) => {
  const built = await npmBuild();
  t.equal(built.code, 0, built.out);
  t.ok(existsSync(join(DIST, 'framework', 'src', 'http', 'index.js')), 'the framework entry points');
  t.ok(existsSync(join(DIST, 'example-site', 'manage.js')), 'the compiled site');

  const server = await startServer(
    t,
    [join(DIST, 'example-site', 'manage.js'), 'serve', '--settings', 'coffeehouse.settings.testing', '127.0.0.1:0'],
    { cwd: REPO, ready: /Serving \S+ at (http:\/\/\S+\/) with 1 worker/ },
  );
  const home = await fetch(server.url);
  t.equal(home.status, 200);
  t.match(await home.text(), /<nav>[\s\S]*href="\/contact\/"/);
  const page = await fetch(new URL('/contact/', server.url));
  const html = await page.text();
  const token = /name="csrfmiddlewaretoken" value="(\w{64})"/.exec(html)?.[1];
  t.ok(token, 'a CSRF token on the form');
  const csrf = page.headers.getSetCookie().find((c) => c.startsWith('csrftoken='))!.split(';')[0]!;
  const posted = await fetch(new URL('/contact/', server.url), {
    method: 'POST',
    headers: { cookie: csrf, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfmiddlewaretoken: token!, name: 'Ann', email: 'ann@example.com', subject: 'Hi', message: 'Hello' }).toString(),
    redirect: 'manual',
  });
  t.equal(posted.status, 302, 'sessions, CSRF and the mail helper work from the bundle');
  t.equal((await fetch(new URL('/nowhere/', server.url))).status, 404);
  t.equal(await server.stop(), 0);

  // Error names and .ts line numbers survive bundling (logger names are built from error names).
  const probe = join(DIST, 'zz-build-probe.mjs');
  writeFileSync(
    probe,
    "import { UrlResolver } from 'reinhardt/urls';\nimport { DisallowedHost } from 'reinhardt/http';\n" +
      "try { new UrlResolver([]).reverse('nope'); } catch (e) { console.log(e.name); console.log(e.stack.split('\\n')[1]); }\n" +
      "console.log(new DisallowedHost('x').name);\n",
  );
  t.teardown(() => rmSync(probe, { force: true }));
  const out = await run(['--enable-source-maps', probe], { cwd: DIST });
  const [name, frame, host] = out.stdout.trim().split('\n');
  t.equal(name, 'NoReverseMatch');
  t.match(frame, /framework\/src\/urls\/resolver\.ts:\d+:\d+/, 'the frame points at the .ts source');
  t.equal(host, 'DisallowedHost');

  // The subpaths share one copy of the framework, and importing them (as every command does)
  // loads neither Fastify nor pino: those come with the first app or log handler.
  const shared = join(DIST, 'zz-build-shared.mjs');
  writeFileSync(
    shared,
    "import { createRequire } from 'node:module';\n" +
      "import * as mail from 'reinhardt/mail';\nimport * as testing from 'reinhardt/test';\nimport * as conf from 'reinhardt/conf';\n" +
      "import 'reinhardt/management';\nimport 'reinhardt/http';\nimport 'reinhardt/log';\n" +
      'console.log(mail.outbox === testing.outbox && conf.loadSettings === testing.loadSettings);\n' +
      "const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => /node_modules\\/(fastify|pino|@fastify\\/static)\\//.test(f));\n" +
      'console.log(JSON.stringify(loaded));\n',
  );
  t.teardown(() => rmSync(shared, { force: true }));
  const sharedOut = await run([shared], { cwd: DIST });
  t.equal(sharedOut.code, 0, sharedOut.stderr);
  t.same(sharedOut.stdout.trim().split('\n'), ['true', '[]'], 'one framework, and no Fastify or pino until they are needed');

  // Without --enable-source-maps, the framework maps the stacks it shows itself.
  const traceback = await run([join(DIST, 'example-site', 'manage.js'), 'diffsettings', '--settings', 'coffeehouse.settings.nope', '--traceback'], { cwd: REPO });
  t.equal(traceback.code, 1);
  t.match(traceback.stderr, /at loadSettings \(\S*framework\/src\/conf\/load-settings\.ts:\d+:\d+\)/, 'a framework frame at its .ts line');
  t.match(traceback.stderr, /example-site\/manage\.ts:\d+:\d+/, "and the site's own frame");
  t.notMatch(traceback.stderr, /dist\/framework/, 'no frame left in the bundle');
});
