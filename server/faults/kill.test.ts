import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedHerSysStub, startHerSysStub } from '../../stubs/hersys/index.js';
import { postgresUnavailableReason, startTestPostgres, type TestPostgres } from '../testing/postgres.js';
import { type SpawnedServer, spawnServer } from '../testing/spawn-server.js';
import { v1Body, v2Body, v3Body, wireKey } from '../testing/uploads.js';
import { ADMIN, exportedKeys, listBatches, publish, send as sendBody } from './suite.js';

/**
 * The server fault suite (issue #15): kill -9 of the server process in the middle of uploads and of
 * export batches, on PostgreSQL and on a PGlite data directory, against the dummy HER-SYS (which uses
 * numbers up). After each restart: every cut-off upload is retried with its original number and keys
 * and succeeds; batch numbers have no gap. At the end: every acknowledged key is exported exactly once,
 * and no live key (rolling period not ended) is in any export. Loopback only; bounded by the counts below.
 */
const UPLOAD_KILLS = 3;
const PUBLISH_KILLS = 2;
const UPLOADS_PER_ROUND = 24;
const ROUTES = ['/api/diagnosis', '/api/v2/diagnosis', '/api/v3/diagnosis'] as const;

interface Upload {
  readonly route: (typeof ROUTES)[number];
  readonly body: { keys: { keyData: string }[]; verificationPayload: string };
  /** Keys that must be exported once the upload is acknowledged (past days). */
  readonly exportable: readonly string[];
  /** Today's key, still being broadcast: stored, never exported during the test. */
  readonly live: string;
}

const send = (url: string, u: Upload) => sendBody(url, u.route, u.body);

/** 13 past days (ended keys) and the current key: started this interval, live for another day. */
function makeUpload(processingNumber: string, i: number): Upload {
  const route = ROUTES[i % ROUTES.length]!;
  const past = Array.from({ length: 13 }, (_, d) =>
    wireKey({ daysAgo: d + 1, transmissionRisk: 0, reportType: 1 }),
  );
  const live = {
    ...wireKey({ reportType: 1 }),
    rollingStartNumber: Math.floor(Date.now() / 600_000),
    rollingPeriod: 144,
  };
  const keys = [...past, live];
  // v3: onset 10 days ago with symptoms puts every key at DSOS −3..+10, inside the infectious window.
  const body =
    route === '/api/diagnosis'
      ? v1Body(processingNumber, keys)
      : route === '/api/v2/diagnosis'
        ? v2Body(processingNumber, keys)
        : v3Body(processingNumber, keys, {
            onsetDaysAgo: 10,
            hasSymptom: true,
            idempotencyKey: `fault-${processingNumber}`,
          });
  return { route, body, exportable: past.map((k) => k.keyData), live: live.keyData };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const target of ['PostgreSQL', 'PGlite data dir'] as const) {
  describe.skipIf(target === 'PostgreSQL' && postgresUnavailableReason() !== undefined)(
    `server fault suite on ${target}: kill -9 mid-upload and mid-publish`,
    () => {
      let hersys: StartedHerSysStub;
      let dir: string;
      let pg: TestPostgres | undefined;
      let server: SpawnedServer | undefined;
      const env = () => ({
        HERSYS_URL: hersys.verifyUrl,
        ICHIREN_SERVER_ADMIN_TOKEN: ADMIN,
        ...(pg ? { DATABASE_URL: pg.url } : { ICHIREN_SERVER_DATA_DIR: join(dir, 'pgdata') }),
        // One key per file: a batch signs and stores many files, so a kill lands inside it.
        ICHIREN_EXPORT_MAX_KEYS_PER_FILE: '1',
      });
      const restart = async () => {
        server = await spawnServer([], env(), 'main', 180_000);
        return server;
      };
      const kill = async () => {
        server?.child.kill('SIGKILL');
        await server?.child;
        server = undefined;
      };
      /** Batch numbers in list.json are 1..n. */
      const expectNoGaps = async (url: string) => {
        const nums = (await listBatches(url)).map((b) => b.batchNum).sort((a, b) => a - b);
        expect(nums).toEqual(nums.map((_, i) => i + 1));
      };

      beforeAll(async () => {
        hersys = await startHerSysStub({ seed: 15 });
        dir = mkdtempSync(join(tmpdir(), 'ichiren-faults-'));
        if (target === 'PostgreSQL') pg = await startTestPostgres();
      });
      afterAll(async () => {
        await kill();
        await hersys?.stop();
        await pg?.stop();
        rmSync(dir, { recursive: true, force: true });
      });

      it(`${UPLOAD_KILLS} kills mid-upload and ${PUBLISH_KILLS} mid-publish lose nothing, export nothing twice, leave no gap`, async () => {
        const acked: Upload[] = [];
        let cut = 0;
        let killedInsideBatch = 0;
        let usedBeforeRetry = 0;
        let url = (await restart()).url;
        for (let round = 0; round < UPLOAD_KILLS + PUBLISH_KILLS; round++) {
          if (round < UPLOAD_KILLS) {
            // Mid-upload: all uploads at once; kill -9 as soon as the first is acknowledged.
            const uploads = Array.from({ length: UPLOADS_PER_ROUND }, (_, i) =>
              makeUpload(hersys.state.registry.register({}).processingNumber, i + round),
            );
            let firstAck!: () => void;
            const acknowledged = new Promise<void>((r) => {
              firstAck = r;
            });
            const outcomes = uploads.map((u) =>
              send(url, u).then((o) => {
                if (o.kind === 'acked') firstAck();
                return o;
              }),
            );
            await Promise.race([acknowledged, Promise.all(outcomes)]);
            await sleep(round * 3);
            await kill();
            const results = await Promise.all(outcomes);
            for (const [i, o] of results.entries()) {
              expect(o.kind === 'refused' ? `${o.status} ${o.text}` : 'no refusal').toBe('no refusal');
              if (o.kind === 'acked') acked.push(uploads[i]!);
            }
            url = (await restart()).url;
            await expectNoGaps(url);
            // Every cut-off upload succeeds when retried with its original number and keys.
            for (const [i, o] of results.entries()) {
              if (o.kind !== 'cut') continue;
              cut++;
              // The window that used to lose keys: HER-SYS used the number, the server never committed.
              const n = uploads[i]!.body.verificationPayload;
              if (hersys.state.registry.list().find((e) => e.processingNumber === n)?.state === 'used')
                usedBeforeRetry++;
              const retry = await send(url, uploads[i]!);
              expect(retry.kind === 'acked' ? 'acked' : JSON.stringify(retry)).toBe('acked');
              acked.push(uploads[i]!);
            }
            // An acknowledged upload sent again gets its original success too.
            const again = await send(url, acked[acked.length - 1]!);
            expect(again.kind).toBe('acked');
          } else {
            // Mid-publish: kill -9 a moment after the batch started.
            const answered = publish(url).then(
              () => true,
              () => false,
            );
            const s = server!;
            const deadline = Date.now() + 20_000;
            while (!s.stdout().includes('export batch started') && Date.now() < deadline) await sleep(2);
            await sleep(10 + 20 * (round - UPLOAD_KILLS));
            await kill();
            if (!(await answered)) killedInsideBatch++;
            url = (await restart()).url;
            await expectNoGaps(url);
          }
        }
        expect((await publish(url)).status).toBe(200);
        await expectNoGaps(url);
        const exported = await exportedKeys(url);
        const counts = new Map<string, number>();
        for (const k of exported) counts.set(k, (counts.get(k) ?? 0) + 1);
        const expected = acked.flatMap((u) => u.exportable);
        const missing = expected.filter((k) => !counts.has(k));
        const twice = [...counts].filter(([, n]) => n > 1);
        const live = acked.filter((u) => counts.has(u.live));
        expect({ missing: missing.length, twice: twice.length, live: live.length }).toEqual({
          missing: 0,
          twice: 0,
          live: 0,
        });
        expect(exported.length).toBe(new Set(expected).size);
        // Not vacuous: uploads were cut off and retried, and a batch was killed before it answered.
        expect(cut).toBeGreaterThan(0);
        expect(killedInsideBatch).toBeGreaterThan(0);
        // HER-SYS used up exactly the numbers whose keys are stored.
        const used = hersys.state.registry.list().filter((n) => n.state === 'used').length;
        expect(used).toBe(acked.length);
        console.log(
          `${target}: ${UPLOAD_KILLS + PUBLISH_KILLS} kills, ${acked.length} uploads acknowledged (${cut} after a cut-off retry, ${usedBeforeRetry} of them cut after HER-SYS had used the number), ${exported.length} keys exported once, ${killedInsideBatch} batch(es) killed before answering`,
        );
      }, 600_000);
    },
  );
}
