import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSigner, randomKey } from '../protocol/export/test-helpers.js';
import { readExportZip, verifyExport, writeSignedExport } from '../protocol/index.js';
import type { ServerEndpoints } from '../stack/types.js';
import {
  type FaultProxy,
  malformConfiguration,
  PROXY_BODY_LIMIT_BYTES,
  startFaultProxy,
  tamperExportZip,
} from './server-proxy.js';

const { signer, publicKey } = freshSigner('440');
const exportZip = writeSignedExport(
  {
    startTimestamp: 1_600_000_000,
    endTimestamp: 1_600_086_400,
    region: '440',
    batchNum: 1,
    batchSize: 1,
    keys: [randomKey({ transmissionRiskLevel: 4 }), randomKey()],
    revisedKeys: [],
  },
  [signer],
).zip;

const upstream = Fastify();
const received: unknown[] = [];
upstream.put('/api/diagnosis', async (req) => {
  received.push(req.body);
  return { echoed: req.body };
});
upstream.get('/c19r/440/1.zip', async (_req, reply) => reply.type('application/zip').send(exportZip));
upstream.get('/c19r/exposure_configuration/configuration.json', async () => ({
  google_exposure_config: { minimum_risk_score: 21 },
  apple_exposure_config_v1: { minimum_risk_score: 21 },
}));
upstream.get('/c19r/440/list.json', async (req) => [
  { region: 440, url: `http://${req.headers.host}/c19r/440/1.zip`, created: 1 },
  { region: 440, url: 'https://elsewhere.example/2.zip', created: 2 },
]);

let proxy: FaultProxy;
let server: ServerEndpoints;
beforeAll(async () => {
  await upstream.listen({ host: '127.0.0.1', port: 0 });
  const a = upstream.server.address();
  const base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  server = {
    apiUrlBase: `${base}/api`,
    cdnUrlBase: `${base}/`,
    blobContainer: 'c19r',
    region: '440',
    apiSecret: 's',
    verificationKeys: [publicKey],
  };
  proxy = await startFaultProxy();
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});

const zipOf = async (s: ServerEndpoints) =>
  Buffer.from(await (await fetch(`${s.cdnUrlBase}c19r/440/1.zip`)).arrayBuffer());
const put = (s: ServerEndpoints) =>
  fetch(`${s.apiUrlBase}/diagnosis`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: '{"keys":[1,2]}',
  });

describe('fault proxy', () => {
  it('forwards API and CDN calls byte for byte when no fault is set', async () => {
    const s = proxy.endpoints(server, 'clean[android]');
    expect(s.apiUrlBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\d+\/api$/);
    expect(await (await put(s)).json()).toEqual({ echoed: { keys: [1, 2] } });
    expect((await zipOf(s)).equals(exportZip)).toBe(true);
  });

  it('refuses a body over its limit with 413 and forwards nothing', async () => {
    const s = proxy.endpoints(server, 'big[android]');
    const res = await fetch(`${s.apiUrlBase}/diagnosis`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: `{"padding":"${'x'.repeat(PROXY_BODY_LIMIT_BYTES)}"}`,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).message).toMatch(/too large/i);
  });

  it('answers 503 for the next N calls of one scope only, then forwards again', async () => {
    const s = proxy.endpoints(server, 'five[android]');
    const other = proxy.endpoints(server, 'five[ios]');
    proxy.setFault('five[android]', { mode: '5xx', calls: 1 });
    expect((await put(other)).status).toBe(200);
    expect((await put(s)).status).toBe(503);
    expect((await put(s)).status).toBe(200);
    expect(proxy.injected('five[android]')).toBe(1);
  });

  it('drops the connection under "down" until cleared', async () => {
    const s = proxy.endpoints(server, 'down');
    proxy.setFault('down', { mode: 'down' });
    await expect(put(s)).rejects.toThrow();
    await expect(put(s)).rejects.toThrow();
    proxy.clearFault('down');
    expect((await put(s)).status).toBe(200);
  });

  it('holds a call for the latency, then forwards it', async () => {
    const s = proxy.endpoints(server, 'slow');
    proxy.setFault('slow', { mode: 'latency', latencyMs: 300, calls: 1 });
    const t0 = performance.now();
    expect((await put(s)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('serves a tampered export whose signature no longer verifies, leaving other files alone', async () => {
    const s = proxy.endpoints(server, 'tamper');
    proxy.setFault('tamper', { mode: 'tampered-export' });
    const list = (await (await fetch(`${s.cdnUrlBase}c19r/440/list.json`)).json()) as { url: string }[];
    // The server's own file URLs now lead through this scope of the proxy; others are left alone.
    expect(list.map((e) => e.url)).toEqual([
      `${s.cdnUrlBase}c19r/440/1.zip`,
      'https://elsewhere.example/2.zip',
    ]);
    const tampered = readExportZip(Buffer.from(await (await fetch(list[0]?.url ?? '')).arrayBuffer()));
    expect(verifyExport(readExportZip(exportZip), [publicKey]).valid).toBe(true);
    expect(verifyExport(tampered, [publicKey]).valid).toBe(false);
    expect(tampered.export.keys).toHaveLength(2);
  });

  it('tamperExportZip alters exactly one key and keeps the others and the signature', () => {
    const hexes = (z: Uint8Array) =>
      readExportZip(z).export.keys.map((k) => Buffer.from(k.keyData).toString('hex'));
    const before = hexes(exportZip);
    const after = hexes(tamperExportZip(exportZip));
    expect(after.filter((k) => !before.includes(k))).toHaveLength(1);
    expect(after.filter((k) => before.includes(k))).toHaveLength(1);
    expect(readExportZip(tamperExportZip(exportZip)).signatures).toEqual(readExportZip(exportZip).signatures);
  });

  it('serves configuration documents with their first member malformed, leaving other files alone', async () => {
    const s = proxy.endpoints(server, 'config');
    proxy.setFault('config', { mode: 'malformed-configuration' });
    const doc = await (await fetch(`${s.cdnUrlBase}c19r/exposure_configuration/configuration.json`)).json();
    expect(doc).toEqual({
      google_exposure_config: 'malformed by ichiren',
      apple_exposure_config_v1: { minimum_risk_score: 21 },
    });
    expect(readExportZip(await zipOf(s)).export.keys).toHaveLength(2);
    expect(proxy.injected('config')).toBe(1);
  });

  it('configuration-missing answers 404 for configuration documents only', async () => {
    const s = proxy.endpoints(server, 'missing');
    proxy.setFault('missing', { mode: 'configuration-missing' });
    const res = await fetch(`${s.cdnUrlBase}c19r/exposure_configuration/configuration.json`);
    expect(res.status).toBe(404);
    expect(readExportZip(await zipOf(s)).export.keys).toHaveLength(2);
    expect(proxy.injected('missing')).toBe(1);
  });

  it('upload-reply-lost delivers the submission to the server and drops the answer', async () => {
    const s = proxy.endpoints(server, 'lost');
    proxy.setFault('lost', { mode: 'upload-reply-lost', calls: 1 });
    const before = received.length;
    const put = () =>
      fetch(`${s.apiUrlBase}/diagnosis`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n: 1 }),
      });
    await expect(put()).rejects.toThrow();
    expect(received.slice(before)).toEqual([{ n: 1 }]);
    expect((await put()).status).toBe(200);
    expect(received.length).toBe(before + 2);
  });

  it('malformConfiguration cuts a document that is not JSON', () => {
    expect(malformConfiguration(Buffer.from('not json at all')).toString()).toBe('not jso');
  });
});
