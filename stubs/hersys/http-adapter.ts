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
  /** Largest request body accepted; larger ones get 413 without being read on. Default 64 KiB. */
  readonly bodyLimitBytes?: number;
}

/** Every body the stub takes is a few hundred bytes of JSON (a number, a patient, a fault). */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/** A Host header usable as a URL authority: a name or IPv4/IPv6 address and an optional port. */
const HOST_RE = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

class BodyTooLarge extends Error {}

/** path-to-regexp's special characters: a path without them matches itself only. */
const PATTERN_CHARS = /[*:()?+{}]/;

/**
 * The handlers that may answer `method pathname`, in their order. msw tries handlers one by one and
 * parses the request for each (its URL, and its cookies through tough-cookie); a handler with one
 * method and a path without parameters or wildcards (after msw's any-origin `*`) can only match that
 * path, so it is left out for any other. Paths compare as msw matches them: case-insensitively, a
 * trailing slash optional.
 */
export function handlersFor(
  handlers: readonly RequestHandler[],
  method: string,
  pathname: string,
): RequestHandler[] {
  const wanted = (pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname).toLowerCase();
  return handlers.filter((handler) => {
    const info = handler.info as { method?: unknown; path?: unknown };
    if (typeof info.method === 'string' && info.method.toUpperCase() !== method.toUpperCase()) return false;
    if (typeof info.path !== 'string' || !info.path.startsWith('*/')) return true;
    const path = info.path.slice(1);
    if (PATTERN_CHARS.test(path)) return true;
    return (path.length > 1 ? path.replace(/\/$/, '') : path).toLowerCase() === wanted;
  });
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

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  res.writeHead(status, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) });
  res.end(JSON.stringify(body));
}

export async function listenHandlers(
  handlers: RequestHandler[],
  options: ListenOptions = {},
): Promise<HandlerHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  let paused = false;
  let closed = false;

  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const requestHost = req.headers.host ?? `${urlHost}:${port}`;
        if (!HOST_RE.test(requestHost)) {
          sendJson(res, 400, { error: 'BAD_REQUEST', reason: 'malformed Host header' });
          return;
        }
        const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
        let body: Buffer | undefined;
        try {
          body = hasBody ? await readBody(req, bodyLimit) : undefined;
        } catch (error) {
          if (!(error instanceof BodyTooLarge)) throw error;
          // Answer and close: the rest of the body is never read.
          sendJson(res, 413, { error: 'PAYLOAD_TOO_LARGE', reason: `body over ${bodyLimit} bytes` }, true);
          req.socket.end();
          return;
        }
        const origin = `http://${requestHost}`;
        const request = toRequest(req, res, origin, body);
        const response = await getResponse(
          handlersFor(handlers, request.method, new URL(request.url).pathname),
          request,
        );
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
