import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExportZip } from '../harness/protocol/index.js';
import { startOkHersys } from './testing/ok-hersys.js';
import { postgresUnavailableReason, startTestPostgres, type TestPostgres } from './testing/postgres.js';
import { type SpawnedServer, spawnServer } from './testing/spawn-server.js';
import { v3Body, wireKey } from './testing/uploads.js';

/**
 * kill -9 of the server process after accepted uploads and in the middle of an export batch, then a
 * restart on the same PGlite data directory: every accepted key is published, none twice.
 */
const ADMIN = 'crash-admin-token';

async function put(url: string, body: unknown): Promise<number> {
  const res = await fetch(`${url}/api/v3/diagnosis`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

async function publishedKeys(url: string): Promise<string[]> {
  const list = (await (await fetch(`${url}/c19r/440/list.json`)).json()) as { url: string }[];
  const keys: string[] = [];
  for (const entry of list) {
    // list.json carries the URL of the process that wrote it; read the zip from the live one.
    const path = new URL(entry.url).pathname;
    const parsed = readExportZip(new Uint8Array(await (await fetch(`${url}${path}`)).arrayBuffer()));
    for (const k of parsed.export.keys) keys.push(Buffer.from(k.keyData).toString('base64'));
  }
  return keys;
}

for (const target of ['PGlite data dir', 'PostgreSQL'] as const) {
  describe.skipIf(target === 'PostgreSQL' && postgresUnavailableReason() !== undefined)(
    `crash safety on ${target} (child process, kill -9, restart on the same database)`,
    () => {
      let hersys: Awaited<ReturnType<typeof startOkHersys>>;
      let dir: string;
      let pg: TestPostgres | undefined;
      let server: SpawnedServer | undefined;
      const env = () => ({
        HERSYS_URL: hersys.url,
        ICHIREN_SERVER_ADMIN_TOKEN: ADMIN,
        ...(pg ? { DATABASE_URL: pg.url } : { ICHIREN_SERVER_DATA_DIR: join(dir, 'pgdata') }),
        // One key per file: a batch signs and stores many files, so the kill lands inside it.
        ICHIREN_EXPORT_MAX_KEYS_PER_FILE: '1',
      });
      beforeAll(async () => {
        hersys = await startOkHersys();
        dir = mkdtempSync(join(tmpdir(), 'ichiren-crash-'));
        if (target === 'PostgreSQL') pg = await startTestPostgres();
      });
      afterAll(async () => {
        server?.child.kill('SIGKILL');
        await server?.child;
        await hersys.stop();
        await pg?.stop();
        rmSync(dir, { recursive: true, force: true });
      });

      it('loses no accepted key and publishes none twice', async () => {
        const accepted: string[] = [];
        server = await spawnServer([], env(), 'main');
        // Round 1: accepted uploads, then kill -9 right after the last 200.
        for (let u = 0; u < 40; u++) {
          const keys = Array.from({ length: 10 }, (_, i) =>
            wireKey({ daysAgo: 1 + (i % 10), reportType: 1 }),
          );
          const status = await put(
            server.url,
            v3Body(String(10_000_000 + u), keys, { onsetDaysAgo: 3, idempotencyKey: `crash-${u}` }),
          );
          expect(status).toBe(200);
          // Only keys inside the infectious window (DSOS −3..+10 with symptoms) are stored.
          accepted.push(...keys.filter((_, i) => 1 + (i % 10) <= 6).map((k) => k.keyData));
        }
        server.child.kill('SIGKILL');
        await server.child;

        // Round 2: restart, start a batch and kill -9 while it runs.
        server = await spawnServer([], env(), 'main');
        const publishing = fetch(`${server.url}/api/admin/publish`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN}` },
        }).catch(() => undefined);
        // Kill once the batch has started (the server logs it), a moment into the batch.
        const s2 = server;
        const deadline = Date.now() + 10_000;
        while (!s2.stdout().includes('export batch started') && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 5));
        }
        await new Promise((r) => setTimeout(r, 40));
        server.child.kill('SIGKILL');
        await server.child;
        await publishing;

        // Round 3: restart; whatever the batch left is all or nothing; publish the rest.
        server = await spawnServer([], env(), 'main');
        const afterCrash = await publishedKeys(server.url);
        if (process.env.CRASH_DEBUG) console.log('after crash', afterCrash.length, 'of', accepted.length);
        expect(afterCrash.length === 0 || afterCrash.length === accepted.length).toBe(true);
        const res = await fetch(`${server.url}/api/admin/publish`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN}` },
        });
        expect(res.status).toBe(200);
        const published = await publishedKeys(server.url);
        expect(published.length).toBe(accepted.length);
        expect(new Set(published).size).toBe(published.length);
        expect([...published].sort()).toEqual([...accepted].sort());
        server.child.kill('SIGTERM');
        expect((await server.child).exitCode).toBe(0);
        server = undefined;
        // Three server starts on a data directory and a 240-file batch: minutes on a loaded machine.
      }, 120_000);
    },
  );
}
