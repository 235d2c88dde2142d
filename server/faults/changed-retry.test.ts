import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedHerSysStub, startHerSysStub } from '../../stubs/hersys/index.js';
import { postgresUnavailableReason, startTestPostgres, type TestPostgres } from '../testing/postgres.js';
import { type SpawnedServer, spawnServer } from '../testing/spawn-server.js';
import { todayInterval, v1Body, v2Body, v3Body, wireKey } from '../testing/uploads.js';
import { ADMIN, exportedKeys, publish, send } from './suite.js';

/**
 * The server fault suite, changed retries (server/README.md "Uploads"): the server is killed -9 at
 * the moment the dummy HER-SYS has answered OK (the number is then used) and before the server stored
 * anything; after the restart the phone retries the same submission with a changed key set — its
 * history moved by a UTC day, or the day's key re-released with a longer rolling period (EN v2) — on
 * every route, on PostgreSQL and on a PGlite data directory. Each retry is acknowledged, every ended
 * key it carries is published exactly once, and another submission with the number is refused.
 */
const ROUTES = ['/api/diagnosis', '/api/v2/diagnosis', '/api/v3/diagnosis'] as const;
type Route = (typeof ROUTES)[number];
type Key = ReturnType<typeof wireKey>;

/** Keys of `daysAgo` days (ended), each once per test. */
const pastKeys = (days: readonly number[]) => days.map((d) => wireKey({ daysAgo: d, reportType: 1 }));

/** Today's key as the phone holds it: started at 00:00 UTC, `rollingPeriod` intervals long. */
const todayKey = (rollingPeriod: number): Key => ({
  ...wireKey({ reportType: 1 }),
  rollingStartNumber: todayInterval(),
  rollingPeriod,
});

/** A diagnosis body of `route` (the same submission for the same `submission`). */
function bodyOf(route: Route, number: string, keys: Key[], submission: string) {
  if (route === '/api/diagnosis') return { ...v1Body(number, keys), userUuid: submission.padEnd(32, '0') };
  if (route === '/api/v2/diagnosis') return v2Body(number, keys);
  // Onset 10 days ago with symptoms: every key at DSOS −3..+10, inside the infectious window.
  return v3Body(number, keys, { onsetDaysAgo: 10, hasSymptom: true, idempotencyKey: submission });
}

for (const target of ['PostgreSQL', 'PGlite data dir'] as const) {
  describe.skipIf(target === 'PostgreSQL' && postgresUnavailableReason() !== undefined)(
    `server fault suite on ${target}: kill -9 after HER-SYS OK, then a changed retry`,
    () => {
      let hersys: StartedHerSysStub;
      let dir: string;
      let pg: TestPostgres | undefined;
      let server: SpawnedServer | undefined;
      /** Kill the server the moment HER-SYS has answered OK for this number. */
      let killOnOk: string | undefined;
      const start = async () => {
        server = await spawnServer(
          [],
          {
            HERSYS_URL: hersys.verifyUrl,
            ICHIREN_SERVER_ADMIN_TOKEN: ADMIN,
            ...(pg ? { DATABASE_URL: pg.url } : { ICHIREN_SERVER_DATA_DIR: join(dir, 'pgdata') }),
          },
          'main',
          180_000,
        );
        return server.url;
      };

      beforeAll(async () => {
        hersys = await startHerSysStub({ seed: 32 });
        // The stub's answer is decided here, synchronously: the number is used before the kill.
        const registry = hersys.state.registry;
        const verify = registry.verify.bind(registry);
        registry.verify = (number, uploadId) => {
          const outcome = verify(number, uploadId);
          if (number === killOnOk && outcome.result === 'OK') server?.child.kill('SIGKILL');
          return outcome;
        };
        dir = mkdtempSync(join(tmpdir(), 'ichiren-changed-retry-'));
        if (target === 'PostgreSQL') pg = await startTestPostgres();
      });
      afterAll(async () => {
        server?.child.kill('SIGKILL');
        await server?.child;
        await hersys?.stop();
        await pg?.stop();
        rmSync(dir, { recursive: true, force: true });
      });

      /** Sends `first`, which HER-SYS accepts and the server never stores (killed); restarts; sends `retry`. */
      async function cutThenRetry(route: Route, number: string, first: unknown, retry: unknown) {
        let url = await start();
        killOnOk = number;
        expect((await send(url, route, first)).kind).toBe('cut');
        await server?.child;
        killOnOk = undefined;
        expect(hersys.state.registry.list().find((e) => e.processingNumber === number)?.state).toBe('used');
        url = await start();
        const outcome = await send(url, route, retry);
        expect(outcome.kind === 'acked' ? 'acked' : JSON.stringify(outcome)).toBe('acked');
        return url;
      }

      it('every route: the retry after the day rolled and with a re-released key succeeds, every key published once; another submission is refused', async () => {
        const published: string[] = [];
        let url = '';
        for (const [i, route] of ROUTES.entries()) {
          // The UTC day rolled between the attempts: yesterday's then-current key has ended, today's
          // is new, and (v1 and v3 send 14 days, v2 from diagnosis date − 3 days) v1/v3 drop the oldest.
          const dayRolled = hersys.state.registry.register({}).processingNumber;
          const [oldest, ...rest] = pastKeys([13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
          const before = [oldest!, ...rest];
          const after = [...(route === '/api/v2/diagnosis' ? [oldest!] : []), ...rest, todayKey(144)];
          const submission = `submission-${i}-a`;
          url = await cutThenRetry(
            route,
            dayRolled,
            bodyOf(route, dayRolled, before, submission),
            bodyOf(route, dayRolled, after, submission),
          );
          // The first attempt's keys died with the server: the retry's ended keys are the ones to publish.
          published.push(
            ...after.filter((k) => k.rollingStartNumber < todayInterval()).map((k) => k.keyData),
          );
          // Another phone with the same number: its own keys and id → refused, nothing stored.
          const other = await send(
            url,
            route,
            bodyOf(route, dayRolled, pastKeys([3, 2]), `submission-${i}-x`),
          );
          expect(other.kind === 'refused' ? other.status : other.kind).toBe(406);

          // Today's key re-released with a longer rolling period (EN v2) in the retry.
          const reReleased = hersys.state.registry.register({}).processingNumber;
          const past = pastKeys([5, 4, 3, 2, 1]);
          const today = todayKey(Math.max(1, Math.floor(Date.now() / 600_000) - todayInterval()));
          const again = `submission-${i}-b`;
          url = await cutThenRetry(
            route,
            reReleased,
            bodyOf(route, reReleased, [...past, today], again),
            bodyOf(route, reReleased, [...past, { ...today, rollingPeriod: 144 }], again),
          );
          published.push(...past.map((k) => k.keyData));
        }
        // Publish everything ended (today's keys are live: embargoed, not published yet).
        expect((await publish(url)).status).toBe(200);
        const exported = await exportedKeys(url);
        const counts = new Map<string, number>();
        for (const k of exported) counts.set(k, (counts.get(k) ?? 0) + 1);
        expect({
          missing: published.filter((k) => !counts.has(k)).length,
          twice: [...counts.values()].filter((n) => n > 1).length,
          others: exported.filter((k) => !published.includes(k)).length,
        }).toEqual({ missing: 0, twice: 0, others: 0 });
      }, 600_000);
    },
  );
}
