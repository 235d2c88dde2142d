import { describe, expect, it } from 'vitest';
import type { AppBuild } from '../devices/apps/types.js';
import { samplePassingRun } from '../report/fixtures/index.js';
import type { CellResult, RunResult } from '../runner/results.js';
import type { Plan } from '../scenario/plan.js';
import type { StartedStack } from '../stack/types.js';
import { type AuditDeps, meetsRequired, runAudit } from './audit.js';
import type { Mutant } from './catalog.js';
import type { PlantedDefect } from './kinds.js';

/** The sample run with every cell given `status` (and, when failed, a broken `link`). */
function runWith(status: CellResult['status'], link = 'notify'): RunResult {
  const cells = (c: CellResult): CellResult =>
    status === 'failed'
      ? { ...c, status, firstBrokenLink: link as CellResult['firstBrokenLink'] }
      : { ...c, status, firstBrokenLink: null };
  return {
    ...samplePassingRun,
    scenarios: samplePassingRun.scenarios.map((s) => ({ ...s, cells: s.cells.map(cells) })),
  };
}

/** A defect is an app decoration here; the fake runner reads which one it was given. */
const marker = (name: string): PlantedDefect => ({
  app: Object.assign((b: AppBuild) => b, { marker: name }),
});
const mutant = (id: string, planted: string, direction: 'under' | 'over', expected = 'notify'): Mutant => ({
  id,
  class: 'c',
  where: 'app',
  direction,
  story: id,
  expected: expected as Mutant['expected'],
  plant: () => marker(planted),
});

const fakeStack = {
  stop: async () => {},
  server: {},
  publish: async () => ({ ok: true, files: [], detail: '' }),
};
const audit: AuditDeps = {
  startStack: async () => fakeStack as unknown as StartedStack,
  deps: async (_stack, decorate) => ({ decorate }) as never,
  runPlan: async (_plan, deps) => {
    const planted = (deps as unknown as { decorate: { marker?: string } }).decorate.marker;
    if (planted === 'times-out') return runWith('timedout');
    if (planted === 'errors') return runWith('error');
    if (planted === 'fails-at-notify') return runWith('failed', 'notify');
    if (planted === 'fails-at-upload') return runWith('failed', 'upload');
    return runWith('passed');
  },
};

const play = (mutants: Mutant[]) =>
  runAudit({
    plan: {} as Plan,
    mutants,
    signer: {} as never,
    audit,
    metadata: samplePassingRun.metadata,
  });

describe('runAudit: what counts as caught', () => {
  it('reports a defect that only makes cells time out (or error) apart, never as caught', async () => {
    const r = await play([
      mutant('slow-app', 'times-out', 'under'),
      mutant('crashing-app', 'errors', 'under'),
      mutant('control', 'nothing', 'under', 'none'),
    ]);
    const slow = r.mutants.find((m) => m.id === 'slow-app');
    expect(slow?.status).toBe('errors-only');
    expect(slow?.failedCells).toEqual([]);
    expect(slow?.erroredCells?.length).toBeGreaterThan(0);
    expect(r.mutants.find((m) => m.id === 'crashing-app')?.status).toBe('errors-only');
    expect(r.score).toMatchObject({ caught: 0, total: 2, rate: 0 });
    expect(meetsRequired(r)).toBe(false);
  });

  it('scores caught and caught at the expected link separately, per direction', async () => {
    const r = await play([
      mutant('lost-at-notify', 'fails-at-notify', 'under'),
      mutant('lost-elsewhere', 'fails-at-upload', 'under'),
      mutant('over-at-notify', 'fails-at-notify', 'over'),
      mutant('over-unseen', 'nothing', 'over'),
      mutant('control', 'nothing', 'under', 'none'),
    ]);
    expect(r.score).toEqual({ caught: 3, total: 4, rate: 0.75, atExpected: 2, atExpectedRate: 0.5 });
    expect(r.byDirection?.under).toEqual({
      caught: 2,
      total: 2,
      rate: 1,
      atExpected: 1,
      atExpectedRate: 0.5,
    });
    expect(r.byDirection?.over).toEqual({
      caught: 1,
      total: 2,
      rate: 0.5,
      atExpected: 1,
      atExpectedRate: 0.5,
    });
    expect(r.controlSurvived).toBe(true);
  });

  it('meets what CI requires only when both shares hold overall and in each direction', async () => {
    const all = await play([
      mutant('lost', 'fails-at-notify', 'under'),
      mutant('over', 'fails-at-notify', 'over'),
      mutant('control', 'nothing', 'under', 'none'),
    ]);
    expect(meetsRequired(all)).toBe(true);
    const wrongLink = await play([
      mutant('lost', 'fails-at-notify', 'under'),
      mutant('over', 'fails-at-upload', 'over'),
      mutant('control', 'nothing', 'under', 'none'),
    ]);
    expect(wrongLink.score.rate).toBe(1);
    expect(meetsRequired(wrongLink)).toBe(false);
    expect(meetsRequired(wrongLink, { caught: 0.95, atExpected: 0.5 })).toBe(false);
    expect(meetsRequired(wrongLink, { caught: 0.95, atExpected: 0 })).toBe(true);
  });
});
