/**
 * Port 0 means "any free port". With several workers the primary must choose it once, before
 * forking, so that every worker binds the same one and the ready line can name it.
 */
import { createServer } from 'node:net';

export function pickFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ host, port: 0, exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
