/**
 * For tests: a tiny local HTTP server (port 0) that records requests and answers like COCOA's CDN
 * and API (list.json, export zips, configuration files, register/diagnosis). Not the reference
 * server (helper H2's); just enough for device-level tests.
 */

import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSigner, writeSignedExport } from '../protocol/export/index.js';
import type { TemporaryExposureKey } from '../protocol/tek.js';
import type { ServerEndpoints } from '../stack/types.js';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface TestServer {
  readonly endpoints: ServerEndpoints;
  readonly requests: RecordedRequest[];
  /** Path → [status, body]; set or replace answers at any time. */
  readonly routes: Map<string, { status: number; body: string | Uint8Array; type?: string }>;
  close(): Promise<void>;
}

const FIXTURES = new URL('../../fixtures/', import.meta.url);

export function fixtureText(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

/** The test signing key's public half, as phones are configured with it (fixtures/signing/README.md). */
export function testVerificationKey(): ServerEndpoints['verificationKeys'][number] {
  const der = createPublicKey(fixtureText('signing/test-export-signing-key.pub.pem')).export({
    type: 'spki',
    format: 'der',
  });
  return { keyId: '440', version: 'v1', publicKeyBase64: der.toString('base64') };
}

export async function startTestServer(): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const routes: TestServer['routes'] = new Map();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      requests.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const route = routes.get(`${req.method} ${path}`) ?? routes.get(path);
      if (!route) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(route.status, { 'content-type': route.type ?? 'application/json' }).end(route.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    endpoints: {
      apiUrlBase: `${base}/api`,
      cdnUrlBase: `${base}/`,
      blobContainer: 'c19r',
      region: '440',
      apiSecret: 'test-secret',
      verificationKeys: [testVerificationKey()],
    },
    requests,
    routes,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** Serves the uploader's keys as one signed export with the given TRL, and COCOA's configuration set. */
export function publishExport(
  server: TestServer,
  keys: readonly TemporaryExposureKey[],
  trl: number,
  configSet: string,
  span: { readonly from: number; readonly to: number },
): void {
  const signer = loadSigner(fixtureText('signing/test-export-signing-key.pem'), '440', 'v1');
  const { zip } = writeSignedExport(
    {
      startTimestamp: span.from,
      endTimestamp: span.to,
      region: '440',
      batchNum: 1,
      batchSize: 1,
      keys: keys.map((k) => ({ ...k, transmissionRiskLevel: trl })),
      revisedKeys: [],
    },
    [signer],
  );
  const cdn = server.endpoints.cdnUrlBase;
  server.routes.set('/c19r/440/1.zip', { status: 200, body: zip, type: 'application/zip' });
  server.routes.set('/c19r/440/list.json', {
    status: 200,
    body: JSON.stringify([{ region: '440', url: `${cdn}c19r/440/1.zip`, created: span.to * 1000 }]),
  });
  server.routes.set('/c19r/Configration.json', {
    status: 200,
    body: fixtureText(`exposure-configuration/${configSet}/Configration.json`),
  });
  if (configSet === 'cocoa-2.x') {
    for (const f of ['configuration.json', 'risk_calculation_configuration.json']) {
      server.routes.set(`/c19r/exposure_configuration/${f}`, {
        status: 200,
        body: fixtureText(`exposure-configuration/cocoa-2.x/${f}`),
      });
    }
  }
}
