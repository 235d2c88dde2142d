import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

/**
 * Real HTTP transport for msw handlers: each Node request becomes a Fetch `Request`, answered by
 * msw's `getResponse`. An `HttpResponse.error()` (network error) closes the socket without a reply.
 */
export interface HandlerHttpServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** Stops accepting on the port (connection refused) and closes idle connections. */
  pause(): Promise<void>;
  /** Accepts again on the same port. */
  resume(): Promise<void>;
  readonly paused: boolean;
  /** Closes the port and every socket, including held ones. Idempotent. */
  close(): Promise<void>;
}

export interface ListenOptions {
  readonly host?: string;
  readonly port?: number;
  /** Called with any error a request raised (answered as 500); the adapter never crashes. */
  readonly onError?: (error: unknown) => void;
}

function toRequest(
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  body: Buffer | undefined,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const controller = new AbortController();
  // The client gave up (or the stub closed the socket): release anything waiting on this request.
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return new Request(new URL(req.url ?? '/', origin), {
    method: req.method,
    headers,
    body: body && body.length > 0 ? new Uint8Array(body) : undefined,
    signal: controller.signal,
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function listenHandlers(
  handlers: RequestHandler[],
  options: ListenOptions = {},
): Promise<HandlerHttpServer> {
  const host = options.host ?? '127.0.0.1';
  let paused = false;
  let closed = false;

  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
        const body = hasBody ? await readBody(req) : undefined;
        const origin = `http://${req.headers.host ?? `${host}:${port}`}`;
        const response = await getResponse(handlers, toRequest(req, res, origin, body));
        if (res.destroyed) return;
        if (!response) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'NOT_FOUND', reason: `no route ${req.method} ${req.url}` }));
          return;
        }
        if (response.type === 'error') {
          req.socket.destroy();
          return;
        }
        const out: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          out[name] = value;
        });
        if (paused) out.connection = 'close';
        const payload = Buffer.from(await response.arrayBuffer());
        res.writeHead(response.status, out);
        res.end(payload);
      } catch (error) {
        options.onError?.(error);
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'INTERNAL', reason: (error as Error)?.message ?? String(error) }));
        } else res.destroy();
      }
    })();
  });

  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      server.once('error', onError);
      server.listen(p, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeIdleConnections();
    });

  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    host,
    port,
    url: `http://${urlHost}:${port}`,
    get paused() {
      return paused;
    },
    async pause() {
      if (closed || paused) return;
      paused = true;
      // The listening handle closes at once (new connections are refused); held connections may linger.
      void stopListening();
    },
    async resume() {
      if (closed || !paused) return;
      await listen(port);
      paused = false;
    },
    async close() {
      if (closed) return;
      closed = true;
      const done = stopListening();
      server.closeAllConnections();
      await done;
    },
  };
}
