/** A local webhook receiver for tests: records every JSON body POSTed to it. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  readonly url: string;
  readonly bodies: unknown[];
  close(): Promise<void>;
}

export async function startReceiver(status = 200): Promise<Receiver> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => {
      data += c.toString();
    });
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      res.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port free now (for a server restarted on the same address, as a deployment would be). */
export async function freePort(): Promise<number> {
  const { createServer: net } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
