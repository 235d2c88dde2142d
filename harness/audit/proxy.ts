/**
 * The audit's mutating proxy: a real HTTP reverse proxy in front of the reference server that plays
 * a planted server defect — a rewritten request, a changed answer, an export re-signed with altered
 * content (with the server's own signing key, as a buggy export batch would sign it), a rewritten
 * list.json or configuration file. Phones, the observer and HER-SYS see nothing else: the defect sits
 * where the server's own code would put it, and the server itself is not patched.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unzipSync } from 'fflate';
import {
  decodeExportBin,
  EXPORT_BIN_ENTRY,
  type ExportSigner,
  type TemporaryExposureKeyExport,
  writeSignedExport,
} from '../protocol/index.js';
import type { ServerEndpoints } from '../stack/types.js';

/** One call as the proxy sees it; `path` is below the API base ("v2/diagnosis") or the CDN root. */
export interface Exchange {
  readonly where: 'api' | 'cdn';
  readonly method: string;
  readonly path: string;
  readonly body: Buffer;
}

export interface Answer {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType?: string;
}

/** What a server mutant may change; every hook is optional and returns undefined to leave things be. */
export interface ServerMutation {
  /** A new request body, or an answer given without asking the server. */
  request?(x: Exchange): Buffer | Answer | undefined;
  /** A changed answer (status, body). */
  response?(x: Exchange, answer: Answer): Answer | undefined;
  /** New content for an export file (re-signed by the proxy); undefined leaves the file as served. */
  exportContent?(content: TemporaryExposureKeyExport, x: Exchange): TemporaryExposureKeyExport | undefined;
  /** The signer of re-signed files (default: the server's own key). */
  readonly signer?: ExportSigner;
}

export interface MutatingProxy {
  /** The server's endpoints as the phones reach them: through the proxy. */
  readonly endpoints: ServerEndpoints;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const isAnswer = (x: Buffer | Answer): x is Answer => !Buffer.isBuffer(x);
const isExportZip = (x: Exchange) => x.where === 'cdn' && /\/\d+\.zip$/.test(x.path);
const isList = (x: Exchange) => x.where === 'cdn' && x.path.endsWith('/list.json');

/**
 * Starts the proxy on loopback. `serverSigner` is the reference server's export key (embedded target),
 * used to re-sign mutated exports.
 */
export async function startMutatingProxy(
  upstream: ServerEndpoints,
  mutation: ServerMutation,
  serverSigner: ExportSigner,
): Promise<MutatingProxy> {
  const apiBase = upstream.apiUrlBase.replace(/\/+$/, '');
  const cdnBase = upstream.cdnUrlBase.replace(/\/+$/, '');
  let self = '';
  const server: Server = createServer(async (req, res) => {
    try {
      const url = req.url ?? '/';
      const where = url.startsWith('/api/') ? 'api' : 'cdn';
      const path = where === 'api' ? url.slice('/api/'.length) : url.slice('/cdn/'.length);
      const exchange: Exchange = { where, method: req.method ?? 'GET', path, body: await readBody(req) };
      const rewritten = mutation.request?.(exchange);
      let answer: Answer;
      if (rewritten && isAnswer(rewritten)) answer = rewritten;
      else {
        const target = where === 'api' ? `${apiBase}/${path}` : `${cdnBase}/${path}`;
        const body = rewritten ?? exchange.body;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
        const up = await fetch(target, {
          method: exchange.method,
          headers,
          ...(exchange.method === 'GET' || exchange.method === 'HEAD' ? {} : { body: new Uint8Array(body) }),
        });
        answer = {
          status: up.status,
          body: Buffer.from(await up.arrayBuffer()),
          contentType: up.headers.get('content-type') ?? undefined,
        };
      }
      if (isList(exchange) && answer.status === 200) {
        // Files come through the proxy too, or the phones would fetch them around it.
        answer = {
          ...answer,
          body: Buffer.from(answer.body.toString('utf8').split(`${cdnBase}/`).join(`${self}/cdn/`)),
        };
      }
      if (isExportZip(exchange) && answer.status === 200 && (mutation.exportContent || mutation.signer)) {
        answer = { ...answer, body: resign(answer.body, mutation, serverSigner, exchange) };
      }
      answer = mutation.response?.(exchange, answer) ?? answer;
      res.writeHead(answer.status, answer.contentType ? { 'content-type': answer.contentType } : {});
      res.end(answer.body);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`audit proxy: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoints: { ...upstream, apiUrlBase: `${self}/api`, cdnUrlBase: `${self}/cdn/` },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function resign(zip: Buffer, mutation: ServerMutation, serverSigner: ExportSigner, x: Exchange): Buffer {
  const bin = unzipSync(zip)[EXPORT_BIN_ENTRY];
  if (!bin) return zip;
  const content = decodeExportBin(bin);
  const changed = mutation.exportContent?.(content, x);
  if (!changed && !mutation.signer) return zip;
  const { signatureInfos: _infos, ...rest } = changed ?? content;
  return writeSignedExport(rest, [mutation.signer ?? serverSigner]).zip;
}
