/**
 * The 1.1.4 story as fixed-point observation: phones on the 1.1.4 app build observe the reference
 * server, started as a separate process with the 1.1.4 configuration set. With the 2021-02-17
 * behaviour (TRL 4) observations pass; the server restarted with the 2020-09 behaviour (TRL copied
 * from the upload) turns Android red from the next observation, the webhook fires once; switching
 * back fires one "recovered". The observer's clock is fake (15 minutes per observation).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from '../../server/testing/spawn-server.js';
import type { WebhookPayload } from './alerts.js';
import { jst } from './catalog.js';
import { openHistory } from './history/db.js';
import { loadHistory } from './history/store.js';
import { freePort, type Receiver, startReceiver } from './testing-receiver.js';
import { type WatchConfig, watchOnce } from './watch.js';

const ADMIN = 'admin-token-watch-test';
let dir: string;
let receiver: Receiver;
let server: SpawnedServer | undefined;
let serverPort: number;
let hersysPort: number;
let minutes = 0;
const T0 = Date.UTC(2026, 0, 5, 1, 0);
const clockAt = () => new Date(T0 + minutes * 60_000);

async function startServer(behaviour: '2021-02-17' | '2020-09') {
  await stopServer();
  server = await spawnServer(
    [
      '--port',
      String(serverPort),
      '--behaviour',
      behaviour,
      '--config-set',
      'cocoa-1.1.4',
      '--hersys-url',
      `http://127.0.0.1:${hersysPort}/api/verify`,
    ],
    { ICHIREN_SERVER_ADMIN_TOKEN: ADMIN },
  );
}
async function stopServer() {
  if (!server) return;
  server.child.kill('SIGTERM');
  await server.child;
  server = undefined;
}

function config(): WatchConfig {
  const url = `http://127.0.0.1:${serverPort}`;
  return {
    paths: ['scenarios'],
    tag: 'observation',
    releases: ['cocoa-1.1.4'],
    platforms: ['android', 'ios'],
    seed: 1,
    workers: 2,
    stepTimeoutMs: 15_000,
    target: 'url',
    serverUrl: url,
    hersys: { port: hersysPort },
    publish: { http: { url: `${url}/api/admin/publish`, headers: { authorization: `Bearer ${ADMIN}` } } },
    history: { dir: join(dir, 'history') },
    webhook: receiver.url,
    retentionDays: 90,
    observer: 'e2e',
    clock: clockAt,
  };
}

async function observeAt(at: number) {
  minutes = at;
  return watchOnce(config());
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ichiren-watch-e2e-'));
  receiver = await startReceiver();
  serverPort = await freePort();
  hersysPort = await freePort();
}, 60_000);
afterAll(async () => {
  await stopServer();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ichiren watch: the 1.1.4 change, observed', () => {
  it('passes with TRL 4, alerts once when the server copies TRL, once more when it is fixed', async () => {
    await startServer('2021-02-17');
    for (const at of [0, 15]) {
      const outcome = await observeAt(at);
      expect(outcome.runs.map((r) => r.status)).toEqual(['passed']);
      expect(outcome.exitCode).toBe(0);
    }
    expect(receiver.bodies).toEqual([]);

    await startServer('2020-09');
    const broke = await observeAt(30);
    expect(broke.exitCode).toBe(1);
    expect(broke.changes.map((c) => [c.series.platform, c.kind])).toEqual([['android', 'failing']]);
    expect(receiver.bodies).toHaveLength(1);
    const alert = receiver.bodies[0] as WebhookPayload;
    expect(alert.text).toContain(`Android ✘ since ${jst(clockAt().toISOString())}`);
    expect(alert.text).toContain('iOS ✔');
    expect(alert.platforms.android).toMatchObject({
      state: 'failing',
      since: { brokenLink: 'score', release: 'cocoa-1.1.4' },
    });
    expect(alert.platforms.ios.state).toBe('passing');

    for (const at of [45, 60]) {
      const outcome = await observeAt(at);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.changes).toEqual([]);
    }
    expect(receiver.bodies).toHaveLength(1);

    await startServer('2021-02-17');
    const fixed = await observeAt(75);
    expect(fixed.exitCode).toBe(0);
    expect(receiver.bodies).toHaveLength(2);
    const recovered = receiver.bodies[1] as WebhookPayload;
    expect(recovered.changes).toEqual([
      expect.objectContaining({ platform: 'android', change: 'recovered' }),
    ]);
    expect(recovered.text).toMatch(/recovered/);

    const db = await openHistory({ dir: join(dir, 'history') });
    try {
      const android = (await loadHistory(db)).find((s) => s.key.platform === 'android');
      expect(android?.points.map((p) => p.passed)).toEqual([true, true, false, false, false, true]);
      expect(android?.state).toMatchObject({
        kind: 'recovered',
        failedSince: { observedAt: new Date(T0 + 30 * 60_000).toISOString() },
      });
    } finally {
      await db.close();
    }
  }, 300_000);
});
