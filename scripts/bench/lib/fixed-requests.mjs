// node fixed-requests.mjs <port> <path> <total>[+<total>...] [connections]
// Sends exactly <total> keep-alive GETs to 127.0.0.1:<port><path> over [connections] (64)
// connections, each waiting for its answer before the next, then exits 0 (1 if a connection
// failed or TIMEOUT_S passes first). A count, not a duration: instructions.sh compares the work
// two servers do for the same requests.
//
// With phases ('10000+5000'), it stops after each phase but the last, once every answer of the
// phase is in, prints 'phase N done' and waits for a line on stdin before the next: the
// connections stay open, so what is counted after the pause is the steady state, without the
// connection set-up and the re-optimisation that new connections cause in the server.
import net from 'node:net';
import { createInterface } from 'node:readline';

const [port, path, phasesArg, conns] = [Number(process.argv[2]), process.argv[3], process.argv[4] ?? '', Number(process.argv[5] ?? 64)];
const phases = phasesArg.split('+').map(Number);
if (!Number.isInteger(port) || !path?.startsWith('/') || !phases.every((n) => Number.isInteger(n) && n > 0) || !(conns > 0)) {
  console.error('usage: fixed-requests.mjs <port> </path> <total>[+<total>...] [connections]');
  process.exit(2);
}
const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
const timeout = setTimeout(() => {
  console.error(`fixed-requests: ${answered} of ${limit} answered in ${process.env.TIMEOUT_S ?? 600} s`);
  process.exit(1);
}, Number(process.env.TIMEOUT_S ?? 600) * 1000);
const total = phases.reduce((a, b) => a + b, 0);
let phase = 0;
/** Requests allowed so far: the phases up to this one. */
let limit = phases[0];
let sent = 0;
let answered = 0;
const idle = [];
const input = phases.length > 1 ? createInterface({ input: process.stdin }) : undefined;
input?.on('line', () => {
  if (answered !== limit || phase + 1 >= phases.length) return;
  phase++;
  limit += phases[phase];
  for (const resume of idle.splice(0)) resume();
});

function endOfPhase() {
  if (answered === total) {
    clearTimeout(timeout);
    process.exit(0);
  }
  process.stdout.write(`phase ${phase + 1} done\n`);
}

for (let c = 0; c < Math.min(conns, phases[0]); c++) {
  const socket = net.connect(port, '127.0.0.1');
  let buffered = '';
  const next = () => {
    if (sent < limit) {
      sent++;
      socket.write(request);
    } else if (sent < total) idle.push(next);
    else socket.end();
  };
  socket.on('connect', next);
  socket.on('data', (chunk) => {
    buffered += chunk.toString('latin1');
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(buffered.slice(0, end))?.[1];
      if (length === undefined) {
        console.error('fixed-requests: an answer without Content-Length');
        process.exit(1);
      }
      if (buffered.length < end + 4 + Number(length)) return;
      buffered = buffered.slice(end + 4 + Number(length));
      if (++answered === limit) endOfPhase();
      next();
    }
  });
  socket.on('error', (err) => {
    console.error(`fixed-requests: ${err.message}`);
    process.exit(1);
  });
}
