/**
 * Servers through real processes and real ports: `npm start`, runserver with another settings
 * module, a project fresh from startproject, and the auto-reloader.
 */
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { cleanEnv, eventually, MANAGE, REINHARDT_BIN, REPO, reinhardt, startServer, tempDir } from '../helpers.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

t.test('npm start serves the coffeehouse home page with its navigation', async (t) => {
  const { spawn } = await import('node:child_process');
  const child = spawn(NPM, ['start', '--', '127.0.0.1:0'], { cwd: REPO, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        const exited = () => child.exitCode !== null || child.signalCode !== null;
        if (exited()) return resolve();
        // npm and the reloader's child share a process group: stop them all. A group that is
        // already gone (npm dies of the SIGINT itself, so exitCode stays null) is not an error.
        const killGroup = (signal: NodeJS.Signals) => {
          try {
            process.kill(-child.pid!, signal);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
          }
        };
        const killer = setTimeout(() => exited() || killGroup('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        killGroup('SIGINT');
      }),
  );
  const url = await eventually(async () => /Starting development server at (http:\/\/\S+\/)/.exec(out)?.[1], 60_000);
  t.match(out, /using settings 'coffeehouse\.settings'/);
  t.match(out, /Quit the server with CONTROL-C\./);
  const res = await fetch(url);
  t.equal(res.status, 200);
  const html = await res.text();
  t.match(html, /<nav>/);
  for (const href of ['/', '/drinks/', '/stores/', '/about/']) t.match(html, `href="${href}"`, `navigation links to ${href}`);
  const css = await fetch(new URL('/static/css/site.css', url));
  t.equal(css.status, 200, 'DEBUG serves static files');
  t.equal((await fetch(new URL('/stores/2/', url))).status, 200);
  t.equal((await fetch(new URL('/stores/99/', url))).status, 404);
  const slash = await fetch(new URL('/about', url), { redirect: 'manual' });
  t.equal(slash.status, 301, 'APPEND_SLASH');
  t.equal(slash.headers.get('location'), '/about/');
});

t.test('runserver with another settings module says which one it uses', async (t) => {
  const server = await startServer(t, ['--import', 'reinhardt/register', MANAGE, 'runserver', '--settings', 'coffeehouse.settings.load_testing', '--noreload', '127.0.0.1:0']);
  t.match(server.output(), /Reinhardt version [\d.]+, using settings 'coffeehouse\.settings\.load_testing'/);
  const res = await fetch(server.url);
  t.equal(res.status, 200);
  t.equal(res.headers.get('x-frame-options'), 'DENY');
  t.equal(res.headers.get('x-content-type-options'), 'nosniff');
  t.equal((await fetch(new URL('/static/css/site.css', server.url))).status, 404, 'no static files with DEBUG false');
  t.equal(await server.stop(), 0, 'exits 0 on CONTROL-C');
});

t.test('startproject makes a project whose runserver answers right away', async (t) => {
  const dir = tempDir(t);
  const made = await reinhardt(['startproject', 'mysite'], { cwd: dir });
  t.equal(made.code, 0, made.stderr);
  const project = join(dir, 'mysite');
  const settings = readFileSync(join(project, 'mysite', 'settings.ts'), 'utf8');
  t.match(settings, /SECRET_KEY: 'reinhardt-insecure-.{50}'/);

  const viaNpx = await startServer(t, [REINHARDT_BIN, 'runserver', '--settings', 'mysite.settings', '--noreload', '127.0.0.1:0'], { cwd: project });
  const res = await fetch(viaNpx.url);
  t.equal(res.status, 200);
  t.match(await res.text(), /Reinhardt/, 'the welcome page');
  await viaNpx.stop();

  const viaManage = await startServer(t, ['--import', 'reinhardt/register', 'manage.ts', 'runserver', '--noreload', '127.0.0.1:0'], { cwd: project });
  t.match(viaManage.output(), /using settings 'mysite\.settings'/);
  t.equal((await fetch(viaManage.url)).status, 200);
  t.equal((await fetch(new URL('/nope/', viaManage.url))).status, 404);

  const deploy = await reinhardt(['check', '--deploy', '--settings', 'mysite.settings'], { cwd: project });
  t.equal(deploy.code, 0, 'warnings alone do not fail the check');
  for (const id of ['security.W004', 'security.W008', 'security.W009', 'security.W018', 'security.W020']) t.match(deploy.stderr, id);
  t.match(deploy.stderr, /System check identified \d+ issues \(0 silenced\)\./);
  const strict = await reinhardt(['check', '--deploy', '--fail-level', 'WARNING', '--settings', 'mysite.settings'], { cwd: project });
  t.equal(strict.code, 1, '--fail-level WARNING fails on warnings');
  t.match(strict.stderr, /^SystemCheckError: System check identified some issues:/);
});

t.test('the auto-reloader restarts the server when a source file changes', async (t) => {
  const dir = tempDir(t);
  t.equal((await reinhardt(['startproject', 'reloadme'], { cwd: dir })).code, 0);
  const project = join(dir, 'reloadme');
  writeFileSync(
    join(project, 'reloadme', 'urls.ts'),
    `import { HttpResponse } from 'reinhardt/http';\nimport { path } from 'reinhardt/urls';\nexport const urlpatterns = [path('', () => new HttpResponse('version one'))];\n`,
  );
  const port = await freePort();
  const server = await startServer(t, ['--import', 'reinhardt/register', 'manage.ts', 'runserver', `127.0.0.1:${port}`], { cwd: project });
  t.match(server.output(), /Watching for file changes/);
  t.equal(await (await fetch(server.url)).text(), 'version one');
  writeFileSync(
    join(project, 'reloadme', 'urls.ts'),
    `import { HttpResponse } from 'reinhardt/http';\nimport { path } from 'reinhardt/urls';\nexport const urlpatterns = [path('', () => new HttpResponse('version two'))];\n`,
  );
  const body = await eventually(async () => {
    const text = await (await fetch(server.url)).text();
    return text === 'version two' ? text : undefined;
  });
  t.equal(body, 'version two');
  t.match(server.output(), /urls\.ts changed, reloading\./);
});
