/**
 * Two observers writing to one PostgreSQL history at once: each has its own connection pool (as two
 * processes would), both migrate the fresh database together, then append runs side by side.
 * Nothing is lost or duplicated, and the history reads back whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresUnavailableReason,
  startTestPostgres,
  type TestPostgres,
} from '../../../server/testing/postgres.js';
import { phoneOutcomes } from '../outcomes.js';
import { observedRun, runResult } from '../testing.js';
import { openHistory } from './db.js';
import { appendRun, loadHistory } from './store.js';

const unavailable = postgresUnavailableReason();
let pg: TestPostgres | undefined;

beforeAll(async () => {
  if (!unavailable) pg = await startTestPostgres();
}, 300_000);
afterAll(async () => {
  await pg?.stop();
});

const RUNS_EACH = 15;

describe.skipIf(unavailable !== undefined)(
  `concurrent observers on PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it('lose nothing and record each change of state once', async () => {
      const url = (pg as TestPostgres).url;
      const [a, b] = await Promise.all([
        openHistory({ databaseUrl: url }),
        openHistory({ databaseUrl: url }),
      ]);
      try {
        const t0 = Date.UTC(2026, 0, 5);
        const observer = async (db: typeof a, name: string, offset: number) => {
          const ids: number[] = [];
          for (let i = 0; i < RUNS_EACH; i++) {
            // Android breaks in the middle third of each observer's series; iOS always passes.
            const broken = i >= RUNS_EACH / 3 && i < (2 * RUNS_EACH) / 3;
            const result = runResult({ android: broken ? 'score' : null, ios: null }, 'obs');
            const run = observedRun(result, new Date(t0 + (2 * i + offset) * 60_000), name);
            ids.push((await appendRun(db, run, phoneOutcomes(result))).runId);
          }
          return ids;
        };
        const [idsA, idsB] = await Promise.all([observer(a, 'a', 0), observer(b, 'b', 1)]);
        const all = [...idsA, ...idsB];
        expect(new Set(all).size).toBe(2 * RUNS_EACH);

        const count = async (table: string) =>
          Number((await a.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
        expect(await count('watch_runs')).toBe(2 * RUNS_EACH);
        expect(await count('watch_cells')).toBe(2 * RUNS_EACH * 2);
        expect(await count('watch_links')).toBe(2 * RUNS_EACH * 2 * 8);
        expect(await count('watch_schema_migrations')).toBe(1);
        const perObserver = await a.query<{ observer: string; n: string }>(
          'SELECT observer, count(*) AS n FROM watch_runs GROUP BY observer ORDER BY observer',
        );
        expect(perObserver.map((r) => [r.observer, Number(r.n)])).toEqual([
          ['a', RUNS_EACH],
          ['b', RUNS_EACH],
        ]);

        const history = await loadHistory(a);
        const android = history.find((s) => s.key.platform === 'android');
        expect(android?.points).toHaveLength(2 * RUNS_EACH);
        // Interleaved observers see the same break at the same time: one failing, one recovered.
        const alerts = await a.query<{ series: string; kind: string; run_id: string }>(
          'SELECT series, kind, run_id FROM watch_alerts ORDER BY id',
        );
        expect(alerts.map((r) => r.kind)).toEqual(['failing', 'recovered']);
        expect(alerts.every((r) => r.series.startsWith('url http://127.0.0.1:1|obs|android|'))).toBe(true);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    }, 180_000);
  },
);
