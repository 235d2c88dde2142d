import { describe, expect, it } from 'vitest';
import type { RunResult, ScenarioResult } from './results.js';
import { cellsNoSeedMoves, formatSeedSweep, runSeedSweep, SeedTallies, seedOutcome } from './seed-sweep.js';

const scenario = (id: string, failAndroidAtScore: boolean, rateFails = false): ScenarioResult => ({
  id,
  file: 'f.yaml',
  title: { ja: id, en: id },
  purpose: { ja: id, en: id },
  tags: [],
  cells: (['android', 'ios'] as const).map((platform) => ({
    id: `${id}[${platform}]`,
    matrix: { platform },
    platform,
    app: 'cocoa-x',
    status: failAndroidAtScore && platform === 'android' ? 'failed' : 'passed',
    links: [],
    firstBrokenLink: null,
    phones: [
      {
        phone: 'b',
        platform,
        app: 'cocoa-x',
        expectedNotified: true,
        osVersion: '11',
        sender: 'a',
        expectedBrokenLinks: [],
        notified: !(failAndroidAtScore && platform === 'android'),
        links: [],
        firstBrokenLink: failAndroidAtScore && platform === 'android' ? 'score' : null,
      },
    ],
    timeline: [],
    errors: [],
    durationMs: 1,
    seed: 1,
  })),
  ...(rateFails
    ? {
        rates: [
          {
            kind: 'differential' as const,
            expectation: 'android = ios',
            interval: 'wilson' as const,
            alpha: 0.05,
            groups: [],
            test: 'fisher-exact' as const,
            pValue: 0.001,
            adjustedP: 0.002,
            detectableGap: null,
            passed: false,
            text: { ja: '', en: '' },
          },
        ],
      }
    : {}),
});

/** A run of these scenarios; Android's verdict follows its cells, as summarise() would give it. */
const run = (scenarios: ScenarioResult[]) => {
  const androidFailed = scenarios.some((s) => s.cells.some((c) => c.status !== 'passed'));
  const verdict = (['android', 'ios'] as const).map((platform) => ({
    platform,
    app: 'cocoa-x',
    reaches: platform === 'ios' || !androidFailed,
  }));
  return {
    status: androidFailed ? 'failed' : 'passed',
    summary: {
      verdict,
      cells: scenarios.reduce((n, s) => n + s.cells.length, 0),
      passed: scenarios.reduce((n, s) => n + s.cells.filter((c) => c.status === 'passed').length, 0),
    },
    scenarios,
  } as unknown as RunResult;
};

describe('seed sweep', () => {
  it('counts seeds passed per scenario and how the failures broke', async () => {
    const result = await runSeedSweep([1, 2, 3], async (seed) =>
      run([scenario('steady', false), scenario('flaky', seed === 2)]),
    );
    expect(result.scenarios.map((s) => [s.id, s.passed, s.seeds])).toEqual([
      ['steady', 3, 3],
      ['flaky', 2, 3],
    ]);
    expect(result.scenarios[1]?.failures).toEqual({ 'flaky[android] b (android) at score': 1 });
    expect(result.scenarios[1]?.failedSeeds).toEqual([2]);
    expect(result.deterministicHeld).toBe(false);
    expect(formatSeedSweep(result)).toMatch(/flaky\s+✘ 2\/3\n\s+1× flaky\[android\] b \(android\) at score/);
  });

  it('counts statistical scenarios apart: their failures do not break the deterministic verdict', async () => {
    const result = await runSeedSweep([1, 2], async (seed) => run([scenario('rates', false, seed === 1)]));
    expect(result.scenarios[0]).toMatchObject({ statistical: true, passed: 1, seeds: 2 });
    expect(result.deterministicHeld).toBe(true);
  });

  it("groups seeds by the run's verdict: which platforms it reaches and where the others broke", async () => {
    const result = await runSeedSweep([1, 2, 3], async (seed) => run([scenario('r', seed !== 3)]));
    expect(result.verdicts).toEqual({
      'failed: Android ✘ at score (cocoa-x) · iOS ✔ (cocoa-x)': [1, 2],
      'passed: Android ✔ (cocoa-x) · iOS ✔ (cocoa-x)': [3],
    });
    expect(formatSeedSweep(result)).toContain(
      '  2× failed: Android ✘ at score (cocoa-x) · iOS ✔ (cocoa-x)  (seeds 1, 2)',
    );
  });

  it('hands every later seed the cells of the first that no draw of the seed moved, unless every cell must run', async () => {
    const first = scenario('exact', false);
    const drawn = scenario('radio', false);
    const withDraws = {
      ...drawn,
      cells: drawn.cells.map((c, i) => (i === 0 ? { ...c, draws: ['radio' as const] } : c)),
    };
    const handed: number[] = [];
    const result = await runSeedSweep([4, 5, 6], async (_seed, reuse) => {
      handed.push(reuse.size);
      return run([first, withDraws]);
    });
    // Seed 4 runs everything; 5 and 6 reuse both exact cells and radio's iOS cell (no draw).
    expect(handed).toEqual([0, 3, 3]);
    expect(result.ranOnce).toEqual({ reused: 3, cells: 4 });
    const all: number[] = [];
    await runSeedSweep(
      [4, 5],
      async (_seed, reuse) => {
        all.push(reuse.size);
        return run([first]);
      },
      undefined,
      { everyCell: true },
    );
    expect(all).toEqual([0, 0]);
  });

  it('reuses judged cells only, never a trial of a statistical scenario nor one that errored', () => {
    const errored = scenario('errored', false);
    const cells = cellsNoSeedMoves(
      run([
        scenario('failing', true),
        scenario('rates', false, true),
        { ...errored, cells: errored.cells.map((c) => ({ ...c, status: 'error' as const })) },
      ]),
    );
    // A deterministic failure is the system's under test, whatever the seed: it is taken as it is.
    expect([...cells.keys()]).toEqual(['failing[android]', 'failing[ios]']);
  });

  it('tallies outcomes from several processes in seed order, whatever order they arrive in', () => {
    const tallies = new SeedTallies();
    for (const seed of [3, 1, 2]) tallies.add(seedOutcome(seed, run([scenario('s', seed !== 2)])));
    const result = tallies.result();
    expect(result.seeds).toEqual([1, 2, 3]);
    expect(result.scenarios[0]?.failedSeeds).toEqual([1, 3]);
    expect(result.verdicts['failed: Android ✘ at score (cocoa-x) · iOS ✔ (cocoa-x)']).toEqual([1, 3]);
    expect(formatSeedSweep(result)).toContain('× 3 seeds (1..3)');
    const partial = new SeedTallies();
    for (const seed of [1, 11]) partial.add(seedOutcome(seed, run([scenario('s', false)])));
    // An interrupted sweep on two processes finished seeds of two ranges.
    expect(formatSeedSweep(partial.result())).toContain('× 2 seeds (2 of 1..11)');
  });

  it('stops at an interrupted seed', async () => {
    const result = await runSeedSweep([1, 2, 3], async (seed) =>
      seed === 2 ? null : run([scenario('s', false)]),
    );
    expect(result.seeds).toEqual([1]);
  });
});
