import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner, readExportZip, verifyExport, writeSignedExport } from '../protocol/index.js';
import type { ServerEndpoints } from '../stack/types.js';
import { KINDS } from './kinds.js';
import { startMutatingProxy } from './proxy.js';

const pem = readFileSync(
  new URL('../../fixtures/signing/test-export-signing-key.pem', import.meta.url),
  'utf8',
);
const pub = readFileSync(
  new URL('../../fixtures/signing/test-export-signing-key.pub.pem', import.meta.url),
  'utf8',
);
const signer = loadSigner(pem, '440', 'v1');
const spki = (p: string) => p.replace(/-----[^-]+-----|\s/g, '');
const trusted = [{ keyId: '440', version: 'v1', publicKeyBase64: spki(pub) }];

const key = (b: number, rollingStartIntervalNumber: number) => ({
  keyData: new Uint8Array(16).fill(b),
  rollingStartIntervalNumber,
  rollingPeriod: 144,
  transmissionRiskLevel: 4,
});
// The run's clock, years from the machine's: a defect's "today" is the run's (kinds.ts PlantClock).
const run = { now: () => Date.parse('2031-03-10T12:00:00Z') };
const today = Math.floor(run.now() / 1000 / 86_400) * 144;
const zip = writeSignedExport(
  {
    startTimestamp: 0,
    endTimestamp: 3600,
    region: '440',
    batchNum: 1,
    batchSize: 1,
    keys: [key(1, today - 144), key(2, today - 288), key(3, today - 14 * 144)],
    revisedKeys: [],
  },
  [signer],
).zip;

let upstream: Server;
let base: string;
beforeAll(async () => {
  upstream = createServer((req, res) => {
    if (req.url === '/c19r/440/list.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ region: '440', url: `${base}/c19r/440/1.zip`, created: 1_700_000_000_000 }]));
    } else if (req.url === '/c19r/440/1.zip') {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(zip);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

const endpoints = (): ServerEndpoints => ({
  apiUrlBase: `${base}/api`,
  cdnUrlBase: `${base}/`,
  blobContainer: 'c19r',
  region: '440',
  apiSecret: '',
  verificationKeys: trusted,
});

describe('the audit proxy', () => {
  it('routes listed files through itself and re-signs altered exports with the server key', async () => {
    const proxy = await startMutatingProxy(
      endpoints(),
      KINDS['export-drops-keys']({ keys: 'previous-day' }, run).server ?? {},
      signer,
    );
    try {
      const list = (await (await fetch(`${proxy.endpoints.cdnUrlBase}c19r/440/list.json`)).json()) as {
        url: string;
      }[];
      expect(list[0].url.startsWith(proxy.endpoints.cdnUrlBase)).toBe(true);
      const bytes = new Uint8Array(await (await fetch(list[0].url)).arrayBuffer());
      const parsed = readExportZip(bytes);
      expect(verifyExport(parsed, trusted).valid).toBe(true);
      expect(parsed.export.keys.map((k) => k.rollingStartIntervalNumber)).toEqual([
        today - 288,
        today - 14 * 144,
      ]);
    } finally {
      await proxy.close();
    }
  });

  it("drops the export's oldest day (14 days before the run's today) and keeps the day after", async () => {
    const proxy = await startMutatingProxy(
      endpoints(),
      KINDS['export-drops-keys']({ keys: 'oldest-day' }, run).server ?? {},
      signer,
    );
    try {
      const bytes = new Uint8Array(
        await (await fetch(`${proxy.endpoints.cdnUrlBase}c19r/440/1.zip`)).arrayBuffer(),
      );
      const kept = readExportZip(bytes).export.keys.map((k) => k.rollingStartIntervalNumber);
      expect(kept).toEqual([today - 144, today - 288]);
    } finally {
      await proxy.close();
    }
  });

  it("a rotated signing key makes the files fail the phones' check", async () => {
    const proxy = await startMutatingProxy(
      endpoints(),
      KINDS['export-signed-by-unknown-key']({}, run).server ?? {},
      signer,
    );
    try {
      const bytes = new Uint8Array(
        await (await fetch(`${proxy.endpoints.cdnUrlBase}c19r/440/1.zip`)).arrayBuffer(),
      );
      expect(verifyExport(readExportZip(bytes), trusted).valid).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('the control changes nothing on the wire', async () => {
    const proxy = await startMutatingProxy(
      endpoints(),
      KINDS['no-visible-change']({}, run).server ?? {},
      signer,
    );
    try {
      const bytes = Buffer.from(
        await (await fetch(`${proxy.endpoints.cdnUrlBase}c19r/440/1.zip`)).arrayBuffer(),
      );
      expect(bytes.equals(zip)).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
