// Cold start: spawn a server command, ask for one URL every 2 ms until it answers 200, print
// the milliseconds from spawn to that 200, then stop the server (SIGTERM, SIGKILL after 10 s).
//   node coldstart.mjs URL TIMEOUT_S 'COMMAND'      (one bash command line; it should exec the server)
import { spawn } from 'node:child_process';
import { request } from 'node:http';

const [url, timeoutText, command] = process.argv.slice(2);
const timeoutMs = Number(timeoutText) * 1000;

function probe() {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

const t0 = performance.now();
const child = spawn('bash', ['-c', command], { stdio: 'ignore' });
let exited = false;
child.on('exit', () => (exited = true));
let status = 0;
while (!exited && performance.now() - t0 < timeoutMs) {
  status = await probe();
  if (status === 200) break;
  await new Promise((r) => setTimeout(r, 2));
}
const elapsed = performance.now() - t0;
if (!exited) {
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await new Promise((r) => child.on('exit', r));
  clearTimeout(killer);
}
if (status !== 200) {
  process.stderr.write(`no 200 from ${url} within ${timeoutText} s (last status ${status})\n`);
  process.exit(1);
}
process.stdout.write(`${Math.round(elapsed)}\n`);
