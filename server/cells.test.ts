import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExportZip } from '../harness/protocol/export/index.js';
import { type StartedReferenceServer, startReferenceServer } from './index.js';
import { hersysHandlers, startTestHersys, type TestHersys } from './testing/hersys-handlers.js';
import { v2Body, wireKey } from './testing/uploads.js';

const START = Date.parse('2026-11-20T05:30:00Z');
const DAY_MS = 86_400_000;

let hersys: TestHersys;
let server: StartedReferenceServer;
beforeAll(async () => {
  hersys = await startTestHersys(
    ...hersysHandlers({ '11111111': 'OK', '22222222': 'OK', '33333333': 'OK' }, []),
  );
  server = await startReferenceServer({ hersys: { url: hersys.url }, now: '2026-11-20T05:30:00Z' });
});
afterAll(async () => {
  await server?.stop();
  await hersys?.close();
});

const put = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const list = async (prefix: string) =>
  (await (await fetch(`${server.url}${prefix}/c19r/440/list.json`)).json()) as {
    url: string;
    created: number;
  }[];

describe('the server clock', () => {
  it('starts where it was set, dates every answer by it, and moves only with the admin token', async () => {
    const health = await fetch(`${server.url}/health`);
    const date = Date.parse(health.headers.get('date') ?? '');
    expect(Math.abs(date - START)).toBeLessThan(60_000);
    expect((await fetch(`${server.url}/api/admin/clock`)).status).toBe(401);
    expect((await admin('PUT', '/api/admin/clock', { now: 'tomorrow' })).status).toBe(400);
    const moved = await admin('PUT', '/api/admin/clock', { now: '2026-11-21T12:00:00Z' });
    expect(moved.status).toBe(200);
    const now = Date.parse(((await (await admin('GET', '/api/admin/clock')).json()) as { now: string }).now);
    expect(now - Date.parse('2026-11-21T12:00:00Z')).toBeGreaterThanOrEqual(0);
    expect(now - Date.parse('2026-11-21T12:00:00Z')).toBeLessThan(60_000);
  });

  it("exports a key only once its rolling period has ended on the server's clock", async () => {
    await admin('PUT', '/api/admin/clock', { now: '2026-11-22T12:00:00Z' });
    const nowMs = Date.parse('2026-11-22T12:00:00Z');
    // Today's key released at 12:00 UTC: 72 intervals + the current one, ending at 12:10.
    const key = wireKey({ daysAgo: 0, rollingPeriod: 73 }, nowMs);
    expect((await put('/cells/live/api/v2/diagnosis', v2Body('33333333', [key]))).status).toBe(204);
    expect(
      ((await (await admin('POST', '/cells/live/api/admin/publish')).json()) as { files: unknown[] }).files,
    ).toEqual([]);
    await admin('PUT', '/api/admin/clock', { now: '2026-11-22T12:10:00Z' });
    const files = (
      (await (await admin('POST', '/cells/live/api/admin/publish')).json()) as { files: unknown[] }
    ).files;
    expect(files).toHaveLength(1);
    const [entry] = await list('/cells/live');
    // list.json's created is the server's clock, not the machine's.
    expect(Math.abs((entry?.created ?? 0) - Date.parse('2026-11-22T12:10:00Z'))).toBeLessThan(60_000);
  });
});

describe('cells', () => {
  it("keeps a cell's keys, exports and listing its own, with files that still say region 440", async () => {
    await admin('PUT', '/api/admin/clock', { now: new Date(START + 10 * DAY_MS).toISOString() });
    const nowMs = START + 10 * DAY_MS;
    expect((await put('/cells/a/api/v2/diagnosis', v2Body('11111111', [wireKey({}, nowMs)]))).status).toBe(
      204,
    );
    expect((await put('/cells/b/api/v2/diagnosis', v2Body('22222222', [wireKey({}, nowMs)]))).status).toBe(
      204,
    );
    const published = (await (await admin('POST', '/cells/a/api/admin/publish')).json()) as {
      files: { url: string; keyCount: number }[];
    };
    expect(published.files.map((f) => f.keyCount)).toEqual([1]);
    expect(published.files[0]?.url).toContain('/cells/a/c19r/440/');
    const a = await list('/cells/a');
    expect(a).toHaveLength(1);
    expect(a[0]?.url).toBe(`${server.url}/cells/a/c19r/440/${/(\d+)\.zip$/.exec(a[0]?.url ?? '')?.[1]}.zip`);
    // Cell b's key waits for b's own batch; the server's own region lists nothing of either.
    expect(await list('/cells/b')).toEqual([]);
    expect(await list('')).toEqual([]);
    const zip = new Uint8Array(await (await fetch(a[0]?.url ?? '')).arrayBuffer());
    expect(readExportZip(zip).export.region).toBe('440');
    // Another cell cannot fetch a's file by its number.
    const n = /(\d+)\.zip$/.exec(a[0]?.url ?? '')?.[1];
    expect((await fetch(`${server.url}/cells/b/c19r/440/${n}.zip`)).status).toBe(404);
    expect(
      ((await (await admin('POST', '/cells/b/api/admin/publish')).json()) as { files: unknown[] }).files,
    ).toHaveLength(1);
    expect(await list('/cells/b')).toHaveLength(1);
  });

  it('refuses cell names that are not URL-safe words (served as an unknown path)', async () => {
    expect((await fetch(`${server.url}/cells/a%20b/c19r/440/list.json`)).status).toBe(404);
  });
});
