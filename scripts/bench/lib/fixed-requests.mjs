// node fixed-requests.mjs <port> <path> <total> [connections]
// Sends exactly <total> keep-alive GETs to 127.0.0.1:<port><path> over [connections] (64)
// connections, each waiting for its answer before the next, then exits 0 (1 if a connection
// failed or TIMEOUT_S passes first). A count, not a duration: instructions.sh compares the work
// two servers do for the same requests.
import net from 'node:net';

const [port, path, total, conns] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4]), Number(process.argv[5] ?? 64)];
if (!Number.isInteger(port) || !path?.startsWith('/') || !(total > 0) || !(conns > 0)) {
  console.error('usage: fixed-requests.mjs <port> </path> <total> [connections]');
  process.exit(2);
}
const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
const timeout = setTimeout(() => {
  console.error(`fixed-requests: ${answered} of ${total} answered in ${process.env.TIMEOUT_S ?? 600} s`);
  process.exit(1);
}, Number(process.env.TIMEOUT_S ?? 600) * 1000);
let sent = 0;
let answered = 0;

for (let c = 0; c < Math.min(conns, total); c++) {
  const socket = net.connect(port, '127.0.0.1');
  let buffered = '';
  const next = () => {
    if (sent < total) {
      sent++;
      socket.write(request);
    } else socket.end();
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
      if (++answered === total) {
        clearTimeout(timeout);
        process.exit(0);
      }
      next();
    }
  });
  socket.on('error', (err) => {
    console.error(`fixed-requests: ${err.message}`);
    process.exit(1);
  });
}
