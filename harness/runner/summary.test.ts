import { describe, expect, it } from 'vitest';
import type { CellResult, RateResult, ScenarioResult } from './results.js';
import { summarise } from './summary.js';

const cell = (platform: 'android' | 'ios', status: CellResult['status']): CellResult => ({
  id: `s[${platform}]`,
  matrix: { platform },
  platform,
  app: 'cocoa-1.2.2',
  status,
  links: [],
  firstBrokenLink: null,
  phones: [],
  timeline: [],
  errors: [],
  durationMs: 1,
  seed: 1,
});
const scenario = (cells: CellResult[]): ScenarioResult => ({
  id: 's',
  file: 'f.yaml',
  title: { ja: 'x', en: 'x' },
  purpose: { ja: 'x', en: 'x' },
  tags: [],
  cells,
});

describe('summarise', () => {
  it('says the chain reaches a platform only when all its cells passed', () => {
    const s = summarise([scenario([cell('android', 'failed'), cell('ios', 'passed')])]);
    expect(s.verdict.map((v) => [v.platform, v.reaches, v.passed, v.failed])).toEqual([
      ['android', false, 0, 1],
      ['ios', true, 1, 0],
    ]);
    expect([s.cells, s.passed, s.failed]).toEqual([2, 1, 1]);
  });

  it('establishes no reach for an interrupted run, even where every finished cell passed', () => {
    const s = summarise([scenario([cell('ios', 'passed')])], { complete: false });
    expect(s.verdict[0]?.reaches).toBe(false);
    expect(s.verdict[0]?.outcome).toBe('not-finished');
  });

  it('keeps a failure broken in an interrupted run and names groups whose cells never ran', () => {
    const notRun = [
      { scenario: 's', file: 'f.yaml', id: 's[ios]', platform: 'ios', app: 'x', reason: 'not-started' },
    ] as const;
    const s = summarise([scenario([cell('android', 'failed')])], { complete: false, notRun });
    expect(s.verdict.map((v) => [v.platform, v.outcome, v.passed, v.failed])).toEqual([
      ['android', 'broken', 0, 1],
      ['ios', 'not-finished', 0, 0],
    ]);
    expect(s.cells).toBe(1);
  });

  it('counts a scenario judged over trials once per platform, by its rates, not per trial cell', () => {
    const group = (platform: 'android' | 'ios', notified: number) => ({
      platform,
      app: 'cocoa-1.2.2',
      phones: ['b'],
      notified,
      trials: 10,
      rate: notified / 10,
      low: 0,
      high: 1,
      stoppedAt: {},
    });
    const rate = (platform: 'android' | 'ios', notified: number, passed: boolean): RateResult => ({
      kind: 'rate',
      expectation: 'b notified >= 0.9',
      interval: 'clopper-pearson',
      alpha: 0.05,
      groups: [group(platform, notified)],
      test: 'exact-binomial',
      pValue: passed ? 1 : 0,
      adjustedP: passed ? 1 : 0,
      detectableGap: null,
      passed,
      text: { ja: 'x', en: 'x' },
    });
    // Ten trial cells per platform, each passed (a trial only records); Android's rate failed (0/10).
    const trials = (platform: 'android' | 'ios') =>
      Array.from({ length: 10 }, () => cell(platform, 'passed'));
    const s = summarise([
      {
        ...scenario([...trials('android'), ...trials('ios')]),
        rates: [rate('android', 0, false), rate('ios', 10, true)],
      },
    ]);
    expect(s.verdict.map((v) => [v.platform, v.passed, v.failed])).toEqual([
      ['android', 0, 1],
      ['ios', 1, 0],
    ]);
  });
});
