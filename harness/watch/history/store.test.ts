import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { phoneOutcomes } from '../outcomes.js';
import { observedRun, runResult } from '../testing.js';
import { type HistoryDb, openHistory } from './db.js';
import { appendRun, claimDailySummary, loadEvidence, loadHistory, prune } from './store.js';

let dir: string;
let db: HistoryDb;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ichiren-history-'));
  db = await openHistory({ dir: join(dir, 'h') });
}, 300_000); // creating a PGlite directory runs initdb in WebAssembly: seconds, a minute on a loaded machine
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 0, min));
async function observe(min: number, phones: Parameters<typeof runResult>[0]) {
  const result = runResult(phones);
  return appendRun(db, observedRun(result, at(min)), phoneOutcomes(result));
}

describe('history store (PGlite directory)', () => {
  it('records changes of state once: failing since the first failure, then recovered', async () => {
    expect((await observe(0, { android: null, ios: null })).changes).toEqual([]);
    const broke = await observe(10, { android: 'score', ios: null });
    expect(broke.changes.map((c) => [c.series.platform, c.kind])).toEqual([['android', 'failing']]);
    expect((await observe(20, { android: 'score', ios: null })).changes).toEqual([]);
    const history = await loadHistory(db);
    const android = history.find((s) => s.key.platform === 'android');
    expect(android?.state).toMatchObject({
      kind: 'failing',
      failures: 2,
      since: { runId: broke.runId, brokenLink: 'score' },
    });
    expect(android?.state.kind === 'failing' && android.state.since.observedAt).toBe(at(10).toISOString());
    expect(history.find((s) => s.key.platform === 'ios')?.state.kind).toBe('passing');
    const back = await observe(30, { android: null, ios: null });
    expect(back.changes.map((c) => c.kind)).toEqual(['recovered']);
    const evidence = await loadEvidence(db, broke.runId, {
      target: 'url http://127.0.0.1:1',
      scenario: 'obs',
      platform: 'android',
      app: 'cocoa-1.1.4',
    });
    expect(evidence[0]?.links.find((l) => l.status === 'failed')).toMatchObject({
      name: 'score',
      detail: 'score broke',
    });
  }, 300_000);

  it('keys series by environment: a failing staging and a passing test region never mix', async () => {
    const staging = { kind: 'url', detail: 'https://staging.example.jp' };
    const region = { kind: 'url', detail: 'https://test-region.example.jp' };
    const append = (min: number, target: typeof staging, android: 'score' | null) => {
      const result = runResult({ android, ios: null });
      return appendRun(db, observedRun(result, at(min), 'test', target), phoneOutcomes(result));
    };
    await append(0, staging, null);
    await append(5, region, null);
    const broke = await append(10, staging, 'score');
    expect(broke.changes.map((c) => [c.series.target, c.series.platform, c.kind])).toEqual([
      ['url https://staging.example.jp', 'android', 'failing'],
    ]);
    // The region's pass right after is no recovery of staging's series: nothing changes.
    expect((await append(15, region, null)).changes).toEqual([]);
    const android = (await loadHistory(db)).filter((s) => s.key.platform === 'android');
    expect(android.map((s) => [s.key.target, s.state.kind, s.points.length])).toEqual([
      ['url https://staging.example.jp', 'failing', 2],
      ['url https://test-region.example.jp', 'passing', 2],
    ]);
  }, 300_000);

  it('survives reopening (migrations run once) and prunes old runs with their cells', async () => {
    await observe(0, { android: null });
    await observe(60, { android: null });
    await db.close();
    db = await openHistory({ dir: join(dir, 'h') });
    expect(await prune(db, at(30))).toBe(1);
    const [series] = await loadHistory(db);
    expect(series?.points.map((p) => p.observedAt)).toEqual([at(60).toISOString()]);
    expect(await db.query('SELECT * FROM watch_cells')).toHaveLength(1);
  }, 300_000);

  it('claims one daily summary per day', async () => {
    expect(await claimDailySummary(db, '2026-01-01', at(0), {})).toBeTypeOf('number');
    expect(await claimDailySummary(db, '2026-01-01', at(5), {})).toBeNull();
    expect(await claimDailySummary(db, '2026-01-02', at(5), {})).toBeTypeOf('number');
  }, 300_000);

  it('refuses a second opener of the same PGlite directory with a clear message', async () => {
    await expect(openHistory({ dir: join(dir, 'h'), lockWaitMs: 100 })).rejects.toThrow(
      /another observer holds it/,
    );
  }, 60_000);
});
