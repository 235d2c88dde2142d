/**
 * The fault proxy: a real HTTP reverse proxy between the simulated phones and the notification
 * server (its API and its CDN), so that a scenario can make the server fail at a step without the
 * server's cooperation — the same for the reference server, a vendor's process, container or URL.
 *
 * Each cell's phones get their own path prefix (a "scope"), so a fault touches one cell only and
 * faulty cells still run beside the others. Faults: `down` (the connection is dropped: the phone
 * sees a network error), `5xx` (an error status without reaching the server), `latency` (the call
 * is held, then forwarded) and `tampered-export` (export zips arrive with one key altered and the
 * original signature: the phone's signature check must reject them, gaen.md §2) and
 * `malformed-configuration` (the exposure configuration documents arrive with their first member's
 * value replaced by a string: the app's parser must name the member and fall back, cocoa.md §1.6),
 * `configuration-missing` (those documents answer 404, as when not deployed) and `upload-reply-lost`
 * (a diagnosis submission reaches the server, which stores it, but its answer never reaches the
 * phone: the retry must be recognised as the same upload, cocoa.md §1.2 idempotency).
 */
import { Readable } from 'node:stream';
import replyFrom from '@fastify/reply-from';
import Fastify, { type FastifyReply } from 'fastify';
import { unzipSync, zipSync } from 'fflate';
import { decodeExportBin, EXPORT_BIN_ENTRY, encodeExportBin } from '../protocol/index.js';
import type { ServerEndpoints } from '../stack/types.js';

import type { ServerFaultMode } from './modes.js';

export { SERVER_FAULT_MODES, type ServerFaultMode } from './modes.js';

export interface ServerFaultSpec {
  readonly mode: Exclude<ServerFaultMode, 'clear'>;
  /** Only the next N matching calls; all calls when absent. */
  readonly calls?: number;
  readonly latencyMs?: number;
  /** Status of a `5xx` fault (default 503). */
  readonly status?: number;
}

export interface FaultProxy {
  readonly url: string;
  /** The server's endpoints as one scope's phones reach them: through the proxy. */
  endpoints(server: ServerEndpoints, scope: string): ServerEndpoints;
  setFault(scope: string, spec: ServerFaultSpec): void;
  clearFault(scope: string): void;
  /** Calls the proxy failed on purpose, per scope (evidence for the trace). */
  injected(scope: string): number;
  close(): Promise<void>;
}

interface ActiveFault {
  spec: ServerFaultSpec;
  remaining: number;
}

const isExportZip = (path: string) => /\/\d+\.zip$/.test(path);
/** `c19r/Configration.json` (1.x) and `c19r/exposure_configuration/*.json` (2.x), cocoa.md §1.6. */
const isConfiguration = (path: string) =>
  /\/(Configration\.json|exposure_configuration\/[^/]+\.json)$/.test(path);
/** `diagnosis`, `v2/diagnosis`, `v3/diagnosis` (cocoa.md §1.1). */
const isDiagnosis = (path: string) => /\/diagnosis$/.test(path);

/**
 * A configuration document whose first member holds a string instead of its value — well-formed JSON
 * an app must still refuse, with the member named. Not JSON at all: cut in half.
 */
export function malformConfiguration(body: Buffer): Buffer {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    return body.subarray(0, Math.floor(body.length / 2));
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return Buffer.from('{');
  const [first] = Object.keys(doc);
  if (first === undefined) return Buffer.from('{');
  return Buffer.from(JSON.stringify({ ...doc, [first]: 'malformed by ichiren' }));
}

/** One key's data altered, the signature kept: what a tampered CDN copy would look like. */
export function tamperExportZip(zip: Uint8Array): Uint8Array {
  const entries = unzipSync(zip);
  const bin = entries[EXPORT_BIN_ENTRY];
  if (!bin) return zip;
  const parsed = decodeExportBin(bin);
  const [first, ...rest] = parsed.keys;
  if (!first) return zipSync({ ...entries, [EXPORT_BIN_ENTRY]: new Uint8Array([...bin, 0]) });
  const keyData = Uint8Array.from(first.keyData);
  keyData[0] = (keyData[0] ?? 0) ^ 0xff;
  const altered = encodeExportBin({ ...parsed, keys: [{ ...first, keyData }, ...rest] });
  return zipSync({ ...entries, [EXPORT_BIN_ENTRY]: altered });
}

/** Above the reference server's own limit (256 KiB), so the server under test still decides. */
export const PROXY_BODY_LIMIT_BYTES = 1024 * 1024;

export async function startFaultProxy(): Promise<FaultProxy> {
  const app = Fastify({ logger: false, bodyLimit: PROXY_BODY_LIMIT_BYTES });
  // Bodies go through byte for byte (read as bytes, never parsed or re-encoded), up to the limit:
  // larger ones get 413 before anything reaches the server.
  app.removeAllContentTypeParsers();
  // reply-from pipes a stream as is (a Buffer it would re-encode as JSON).
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, Readable.from([body])),
  );
  await app.register(replyFrom, { undici: { connections: 32 } as never });

  // Scopes (cell ids) become short path tokens: ids hold characters a path would have to escape.
  const tokens = new Map<string, string>();
  const token = (scope: string) => {
    const known = tokens.get(scope);
    if (known) return known;
    const fresh = `s${tokens.size + 1}`;
    tokens.set(scope, fresh);
    return fresh;
  };
  const upstreams = new Map<string, { api: string; cdn: string }>();
  const faults = new Map<string, ActiveFault>();
  const counts = new Map<string, number>();

  /** Takes one call from the scope's fault, if it applies to this path. */
  function take(scope: string, path: string): ServerFaultSpec | null {
    const f = faults.get(scope);
    if (!f) return null;
    if (f.spec.mode === 'tampered-export' && !isExportZip(path)) return null;
    if (
      (f.spec.mode === 'malformed-configuration' || f.spec.mode === 'configuration-missing') &&
      !isConfiguration(path)
    )
      return null;
    if (f.spec.mode === 'upload-reply-lost' && !isDiagnosis(path)) return null;
    if (f.remaining <= 0) return null;
    f.remaining--;
    counts.set(scope, (counts.get(scope) ?? 0) + 1);
    return f.spec;
  }

  /** Forwards, rewriting the body when `rewrite` is given (only for 200 replies). */
  async function forward(reply: FastifyReply, target: string, rewrite?: (body: Buffer) => Buffer) {
    if (!rewrite) return reply.from(target);
    return reply.from(target, {
      onResponse: async (_req, rep, res) => {
        const chunks: Buffer[] = [];
        for await (const c of res.stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
        const body = Buffer.concat(chunks);
        rep.removeHeader('content-length');
        rep.send(res.statusCode === 200 ? rewrite(body) : body);
      },
    });
  }

  /**
   * list.json names its files by absolute URL: those on the server's CDN are pointed at this scope's
   * path, so that the files, too, come through the proxy (and its faults). Others pass untouched.
   */
  const listRewriter = (key: string, cdn: string) => (body: Buffer) =>
    Buffer.from(body.toString('utf8').replaceAll(cdn, `${url}/${key}/cdn/`));

  app.all('/:scope/:side/*', async (request, reply) => {
    const { scope, side } = request.params as { scope: string; side: string; '*': string };
    const rest = (request.params as Record<string, string>)['*'] ?? '';
    const up = upstreams.get(scope);
    if (!up || (side !== 'api' && side !== 'cdn')) {
      return reply.code(404).send({ error: 'fault proxy: unknown scope or side' });
    }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const target = `${side === 'api' ? up.api : up.cdn}${rest}${query}`;
    const fault = take(scope, `/${rest}`);
    const rewrite = rest.endsWith('list.json') ? listRewriter(scope, up.cdn) : undefined;
    switch (fault?.mode) {
      case 'down':
        // A dropped connection, as a phone sees a server that is not there.
        reply.hijack();
        request.raw.socket.destroy();
        return;
      case '5xx':
        return reply
          .code(fault.status ?? 503)
          .send({ error: 'fault injected by ichiren: server unavailable' });
      case 'latency':
        await new Promise((r) => setTimeout(r, fault.latencyMs ?? 1000));
        return forward(reply, target, rewrite);
      case 'tampered-export':
        return forward(reply, target, (body) => Buffer.from(tamperExportZip(body)));
      case 'malformed-configuration':
        return forward(reply, target, malformConfiguration);
      case 'configuration-missing':
        return reply.code(404).send({ error: 'fault injected by ichiren: configuration not deployed' });
      case 'upload-reply-lost': {
        // The server gets the call and answers; the phone's connection drops before the answer.
        const chunks: Buffer[] = [];
        for await (const c of request.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(request.headers))
          if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
        const answer = await fetch(target, { method: request.method, headers, body: Buffer.concat(chunks) });
        await answer.arrayBuffer();
        reply.hijack();
        request.raw.socket.destroy();
        return;
      }
      default:
        return forward(reply, target, rewrite);
    }
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const withSlash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

  return {
    url,
    endpoints(server, scope) {
      const key = token(scope);
      upstreams.set(key, { api: withSlash(server.apiUrlBase), cdn: withSlash(server.cdnUrlBase) });
      const apiSlash = server.apiUrlBase.endsWith('/');
      const cdnSlash = server.cdnUrlBase.endsWith('/');
      return {
        ...server,
        apiUrlBase: `${url}/${key}/api${apiSlash ? '/' : ''}`,
        cdnUrlBase: `${url}/${key}/cdn${cdnSlash ? '/' : ''}`,
      };
    },
    setFault(scope, spec) {
      faults.set(token(scope), { spec, remaining: spec.calls ?? Number.POSITIVE_INFINITY });
    },
    clearFault(scope) {
      faults.delete(token(scope));
    },
    injected: (scope) => counts.get(token(scope)) ?? 0,
    async close() {
      await app.close();
    },
  };
}
