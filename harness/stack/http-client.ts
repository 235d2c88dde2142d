/**
 * HTTP to the system under test, for the phones (devices/apps/http.ts) and the runner's own reads
 * (list.json, export files): one keep-alive connection pool. undici's `request` rather than global
 * fetch: a run makes thousands of calls, and fetch's WHATWG layer (streams, Headers, AbortSignal)
 * costs several times the CPU per call (the server's HER-SYS client measured 171 against 627 µs on
 * loopback). Redirects are followed, as the app's HttpClient follows them (a CDN may redirect
 * list.json and the files).
 */
import { Agent, interceptors, request } from 'undici';

const agent = new Agent({ keepAliveTimeout: 10_000 }).compose(interceptors.redirect({ maxRedirections: 5 }));

export interface HttpAnswer {
  readonly status: number;
  /** 200–299. */
  readonly ok: boolean;
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
}

type Observer = (method: string, url: string, body: string | undefined) => void;
const observers = new Set<Observer>();

/**
 * Hears every request sent through httpRequest until the returned function is called
 * (`ichiren watch --dry-run` lists them).
 */
export function observeRequests(observer: Observer): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** Sends one request; read the body (text or bytes) of every answer, or the connection is held. */
export async function httpRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  for (const observer of observers) observer((init.method ?? 'GET').toUpperCase(), url, init.body);
  const res = await request(url, {
    dispatcher: agent,
    method: (init.method ?? 'GET') as 'GET',
    ...(init.headers ? { headers: init.headers } : {}),
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  return {
    status: res.statusCode,
    ok: res.statusCode >= 200 && res.statusCode < 300,
    text: () => res.body.text(),
    bytes: async () => new Uint8Array(await res.body.arrayBuffer()),
  };
}

/**
 * A call that got no answer at all (refused, reset, or a kept-alive connection the other side had
 * just closed), as against any HTTP answer.
 */
export function isNetworkError(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return (
    (e instanceof TypeError && /fetch failed/.test(e.message)) ||
    ['UND_ERR_SOCKET', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE'].includes(String(code))
  );
}
