import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readExportZip, verifyExport } from '../../harness/protocol/index.js';
import { type StartedReferenceServer, startReferenceServer } from '../index.js';
import { hersysHandlers, startTestHersys, type TestHersys } from '../testing/hersys-handlers.js';
import { postgresUnavailableReason, startTestPostgres, type TestPostgres } from '../testing/postgres.js';
import { todayInterval, v1Body, v2Body, v3Body, wireKey } from '../testing/uploads.js';

let hersys: TestHersys;
beforeAll(async () => {
  hersys = await startTestHersys(
    ...hersysHandlers(new Proxy({}, { get: () => 'OK' }) as Record<string, string>, []),
  );
});
afterAll(() => hersys.close());

let lastNumber = 10_000_000;
/** A fresh processing number per upload: a number stores one upload's keys. */
const nextNumber = () => String(++lastNumber);

async function upload(s: StartedReferenceServer, path: string, body: unknown): Promise<number> {
  const res = await fetch(`${s.apiUrlBase}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

async function download(s: StartedReferenceServer) {
  const list = (await (await fetch(`${s.cdnUrlBase}c19r/440/list.json`)).json()) as {
    region: string;
    url: string;
    created: number;
  }[];
  const files = [];
  for (const entry of list) {
    const zip = new Uint8Array(await (await fetch(entry.url)).arrayBuffer());
    const parsed = readExportZip(zip);
    files.push({ entry, parsed, verified: verifyExport(parsed, s.verificationKeys).valid });
  }
  return files;
}

const pgReason = postgresUnavailableReason();
for (const target of [
  { name: 'PGlite', skip: undefined as string | undefined },
  { name: 'PostgreSQL', skip: pgReason },
]) {
  describe.skipIf(target.skip !== undefined)(`export batch on ${target.name}`, () => {
    let pg: TestPostgres | undefined;
    let server: StartedReferenceServer | undefined;
    beforeAll(async () => {
      if (target.name === 'PostgreSQL') pg = await startTestPostgres();
    });
    afterEach(async () => {
      await server?.stop();
      server = undefined;
      if (pg) {
        const { openDatabase } = await import('../database/database.js');
        const db = await openDatabase({ databaseUrl: pg.url });
        await db.query('TRUNCATE temporary_exposure_keys, exports, uploads');
        await db.query('UPDATE export_batch_counter SET last_batch_num = 0');
        await db.close();
      }
    });
    afterAll(() => pg?.stop());
    const start = (config: Parameters<typeof startReferenceServer>[0] = {}) =>
      startReferenceServer({ hersys: { url: hersys.url }, databaseUrl: pg?.url, ...config });

    it('publishes signed exports that verify with the server key: header, TRL, list.json in ms', async () => {
      server = await start({ behaviour: '2020-09' });
      const keys = [
        wireKey({ daysAgo: 2, transmissionRisk: 0 }),
        wireKey({ daysAgo: 2, transmissionRisk: 0 }),
      ];
      expect(await upload(server, '/diagnosis', v1Body(nextNumber(), keys))).toBe(204);
      const before = Date.now();
      const outcome = await server.publish();
      expect(outcome.ok).toBe(true);
      expect(outcome.files).toHaveLength(1);
      expect(outcome.files[0]!.keyCount).toBe(2);
      const files = await download(server);
      expect(files).toHaveLength(1);
      const { entry, parsed, verified } = files[0]!;
      expect(verified).toBeTruthy();
      expect(entry.url).toBe(outcome.files[0]!.url);
      expect(entry.created).toBeGreaterThanOrEqual(before - 5);
      expect(entry.created).toBeLessThanOrEqual(Date.now());
      const day = (todayInterval() - 2 * 144) * 600;
      expect(parsed.export).toMatchObject({
        region: '440',
        batchNum: 1,
        batchSize: 1,
        startTimestamp: day,
        endTimestamp: day + 86_400,
      });
      expect(parsed.export.signatureInfos[0]).toMatchObject({
        verificationKeyId: '440',
        verificationKeyVersion: 'v1',
      });
      const got = parsed.export.keys.map((k) => Buffer.from(k.keyData).toString('base64')).sort();
      expect(got).toEqual(keys.map((k) => k.keyData).sort());
      expect(parsed.export.keys.map((k) => k.transmissionRiskLevel ?? 0)).toEqual([0, 0]);
      // Published once: a second batch finds nothing pending.
      expect((await server.publish()).files).toHaveLength(0);
    });

    it('groups by day, splits at maxKeysPerFile and bumps end_timestamp per file of a day', async () => {
      server = await start({ export: { maxKeysPerFile: 2 } });
      const keys = [1, 1, 1, 1, 1, 3].map((d) => wireKey({ daysAgo: d }));
      expect(await upload(server, '/v2/diagnosis', v2Body(nextNumber(), keys))).toBe(204);
      const outcome = await server.publish();
      expect(outcome.files.map((f) => f.keyCount).sort()).toEqual([1, 1, 2, 2]);
      const files = await download(server);
      const day1 = (todayInterval() - 144) * 600;
      const ends = files
        .filter((f) => f.parsed.export.startTimestamp === day1)
        .map((f) => f.parsed.export.endTimestamp)
        .sort();
      expect(ends).toEqual([day1 + 86_400, day1 + 86_401, day1 + 86_402]);
      expect(files.every((f) => f.verified)).toBe(true);
      const all = files.flatMap((f) =>
        f.parsed.export.keys.map((k) => Buffer.from(k.keyData).toString('base64')),
      );
      expect(all.sort()).toEqual(keys.map((k) => k.keyData).sort());
      expect(new Set(outcome.files.map((f) => f.batchNum)).size).toBe(4);
    });

    it('writes TRL, report type and DSOS of v3 keys into the export', async () => {
      server = await start();
      const body = v3Body(nextNumber(), [wireKey({ daysAgo: 1, reportType: 1 })], { onsetDaysAgo: 3 });
      expect(await upload(server, '/v3/diagnosis', body)).toBe(200);
      await server.publish();
      const [file] = await download(server);
      expect(file!.parsed.export.keys[0]).toMatchObject({
        transmissionRiskLevel: 4,
        reportType: 1,
        daysSinceOnsetOfSymptoms: 2,
      });
    });

    it('publishes on demand through POST /api/admin/publish with the admin token', async () => {
      server = await start({ adminToken: 'admin-token-123' });
      await upload(server, '/v2/diagnosis', v2Body(nextNumber()));
      const res = await fetch(`${server.apiUrlBase}/admin/publish`, {
        method: 'POST',
        headers: { authorization: 'Bearer admin-token-123' },
      });
      const outcome = await res.json();
      expect(outcome.ok).toBe(true);
      expect(outcome.files).toEqual([
        { batchNum: expect.any(Number), keyCount: 1, url: expect.stringMatching(/\/c19r\/440\/\d+\.zip$/) },
      ]);
    });

    it('writes list.json URLs for the Host asked, or for publicUrl when configured', async () => {
      const { request } = await import('node:http');
      const listVia = (url: string, host: string) =>
        new Promise<{ url: string }[]>((resolve, reject) => {
          const req = request(`${url}/c19r/440/list.json`, { headers: { host } }, (res) => {
            let text = '';
            res.on('data', (d) => {
              text += d;
            });
            res.on('end', () => resolve(JSON.parse(text)));
          });
          req.on('error', reject);
          req.end();
        });
      server = await start();
      await upload(server, '/v2/diagnosis', v2Body(nextNumber()));
      await server.publish();
      expect((await listVia(server.url, 'localhost:49999'))[0]!.url).toMatch(
        /^http:\/\/localhost:49999\/c19r\/440\/\d+\.zip$/,
      );
      await server.stop();
      server = await start({ publicUrl: 'https://cdn.example.test/base' });
      expect(server.apiUrlBase).toBe('https://cdn.example.test/base/api');
      await upload(
        { ...server, apiUrlBase: `${server.localUrl}/api` },
        '/v2/diagnosis',
        v2Body(nextNumber()),
      );
      await server.publish();
      const urls = (await listVia(server.localUrl, 'localhost:49999')).map((e) => e.url);
      expect(urls.every((u) => u.startsWith('https://cdn.example.test/base/c19r/440/'))).toBe(true);
    });

    it('holds a key back until its rolling period has ended (plus the embargo)', async () => {
      server = await start();
      const now = Date.now();
      const today = todayInterval(now);
      const nowInterval = Math.floor(now / 600_000);
      const live = { ...wireKey({ daysAgo: 0 }), rollingPeriod: 144 }; // ends at midnight UTC
      const ended = { ...wireKey({ daysAgo: 0 }), rollingPeriod: Math.max(1, nowInterval - today) };
      expect(await upload(server, '/v2/diagnosis', v2Body(nextNumber(), [live, ended]))).toBe(204);
      const outcome = await server.publish();
      const exported = (await download(server)).flatMap((f) =>
        f.parsed.export.keys.map((k) => Buffer.from(k.keyData).toString('base64')),
      );
      expect(exported).not.toContain(live.keyData);
      if (nowInterval > today) expect(exported).toEqual([ended.keyData]);
      expect(outcome.files.reduce((n, f) => n + f.keyCount, 0)).toBe(exported.length);
      await server.stop();
      // With an embargo of a day, even the ended key waits.
      server = await start({ export: { embargoMs: 86_400_000 } });
      const again = { ...wireKey({ daysAgo: 0 }), rollingPeriod: 1 };
      expect(await upload(server, '/v2/diagnosis', v2Body(nextNumber(), [again]))).toBe(204);
      expect((await server.publish()).files).toHaveLength(0);
    });

    it('exports a key sent in two uploads once, and numbers batches 1, 2, 3 without gaps', async () => {
      server = await start();
      const key = wireKey({ daysAgo: 2 });
      expect(await upload(server, '/v2/diagnosis', v2Body(nextNumber(), [key]))).toBe(204);
      expect(await upload(server, '/v2/diagnosis', v2Body(nextNumber(), [key]))).toBe(204);
      const first = await server.publish();
      expect(
        await upload(server, '/v2/diagnosis', v2Body(nextNumber(), [key, wireKey({ daysAgo: 3 })])),
      ).toBe(204);
      const second = await server.publish();
      expect(await upload(server, '/v2/diagnosis', v2Body(nextNumber(), [wireKey({ daysAgo: 4 })]))).toBe(
        204,
      );
      const third = await server.publish();
      const files = await download(server);
      const all = files.flatMap((f) =>
        f.parsed.export.keys.map((k) => Buffer.from(k.keyData).toString('base64')),
      );
      expect(all.filter((k) => k === key.keyData)).toHaveLength(1);
      expect(all).toHaveLength(3);
      expect([...first.files, ...second.files, ...third.files].map((f) => f.batchNum)).toEqual([1, 2, 3]);
    });

    it('runs the batch on its interval schedule when configured', async () => {
      server = await start({ export: { intervalMs: 100 } });
      await upload(server, '/v2/diagnosis', v2Body(nextNumber()));
      const deadline = Date.now() + 10_000;
      let files: Awaited<ReturnType<typeof download>> = [];
      while (Date.now() < deadline && files.length === 0) {
        await new Promise((r) => setTimeout(r, 100));
        files = await download(server);
      }
      expect(files).toHaveLength(1);
    });
  });
}

describe('same-day keys (EN v2 release of the current key, gaen.md §5)', () => {
  it('publishes a day’s shortened key once its period has ended and holds the new key of the same start until it ends', async () => {
    const { openDatabase } = await import('../database/database.js');
    const { insertKeys } = await import('../database/key-store.js');
    const { runExportBatch } = await import('./publish.js');
    const db = await openDatabase({});
    try {
      const dayStart = 2_960_928; // 2026-04-19T00:00Z as an ENIntervalNumber (a multiple of 144)
      const stored = (tag: number, rollingPeriod: number) => ({
        id: `k${tag}`,
        keyData: Buffer.alloc(16, tag),
        rollingStartIntervalNumber: dayStart,
        rollingPeriod,
        transmissionRiskLevel: 4,
        reportType: 1,
        daysSinceOnsetOfSymptoms: 1,
        region: '440',
      });
      // Released at interval 72 (period 73), and the new key of the day from the same start.
      await insertKeys(db, [stored(1, 73), stored(2, 144)], 0);
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const settings = {
        region: '440',
        maxKeysPerFile: 100,
        retentionDays: 14,
        signers: [{ keyId: '440', version: 'v1', privateKey }],
      };
      const at = (interval: number) => interval * 600_000;
      expect(await runExportBatch(db, settings, at(dayStart + 72))).toEqual([]);
      const ended = await runExportBatch(db, settings, at(dayStart + 73));
      expect(ended.map((f) => f.keyCount)).toEqual([1]);
      expect(await runExportBatch(db, settings, at(dayStart + 143))).toEqual([]);
      expect((await runExportBatch(db, settings, at(dayStart + 144))).map((f) => f.keyCount)).toEqual([1]);
    } finally {
      await db.close();
    }
  });
});
