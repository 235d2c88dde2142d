import { describe, expect, it } from 'vitest';
import type { RunResult, ScenarioResult } from './results.js';
import { formatSeedSweep, runSeedSweep } from './seed-sweep.js';

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
            passed: false,
            text: { ja: '', en: '' },
          },
        ],
      }
    : {}),
});

const run = (scenarios: ScenarioResult[]) => ({ scenarios }) as unknown as RunResult;

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

  it('stops at an interrupted seed', async () => {
    const result = await runSeedSweep([1, 2, 3], async (seed) =>
      seed === 2 ? null : run([scenario('s', false)]),
    );
    expect(result.seeds).toEqual([1]);
  });
});
