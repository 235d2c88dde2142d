import { describe, expect, it } from 'vitest';
import type { PlannedStatistics } from '../scenario/plan.js';
import type { CellResult, RunSummary } from './results.js';
import { trialChain as chain } from './testing.js';
import { applyRateVerdicts, judgeFamily, judgeTrials, testTrials } from './trials.js';

/** `n` trial cells in which droid is notified `droid` times and iphone `iphone` times. */
function trials(n: number, droid: number, iphone: number): CellResult[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `s[x]#${i + 1}`,
    matrix: {},
    platform: 'android',
    app: 'cocoa-x',
    status: 'passed',
    links: [],
    firstBrokenLink: null,
    phones: [chain('droid', 'android', i < droid), chain('iphone', 'ios', i < iphone)],
    timeline: [],
    errors: [],
    durationMs: 1,
    seed: i,
  }));
}

const stats: PlannedStatistics = {
  trials: 20,
  interval: 'wilson',
  rates: [
    { phone: 'droid', bound: '>= 0.9' },
    { phone: 'iphone', bound: '>= 0.9' },
  ],
  differential: 'platform',
};

describe('judgeTrials', () => {
  it('passes rates and the differential when both platforms are notified alike', () => {
    const r = judgeTrials(stats, trials(20, 19, 20));
    expect(r.map((x) => [x.kind, x.passed])).toEqual([
      ['rate', true],
      ['rate', true],
      ['differential', true],
    ]);
    expect(r[2]?.pValue).toBeGreaterThan(0.05);
    expect(r[2]?.test).toBe('fisher-exact');
  });

  it('fails the 1.1.4 pattern with both rates, their intervals, the p-value and where trials stopped', () => {
    const r = judgeTrials(stats, trials(20, 0, 20));
    const [droid, iphone, diff] = r;
    expect(droid?.passed).toBe(false);
    expect(droid?.groups[0]).toMatchObject({
      platform: 'android',
      notified: 0,
      trials: 20,
      stoppedAt: { score: 20 },
    });
    expect(droid?.groups[0]?.high).toBeLessThan(0.9);
    expect(iphone?.passed).toBe(true);
    expect(diff?.passed).toBe(false);
    expect(diff?.pValue).toBeLessThan(1e-6);
    expect(diff?.text.en).toMatch(
      /android 0\/20 = 0\.0% \[0\.0%, 16\.1%\].*ios 20\/20 = 100\.0% \[83\.9%, 100\.0%\].*Fisher's exact test p = /,
    );
  });

  it('judges a rate by its exact binomial p-value, Holm-adjusted across the family, and states what it could detect', () => {
    // iphone 15/20 against ">= 0.9": P(X ≤ 15 | 20, 0.9) = 0.0432: passes at 1 %, fails nothing.
    const [, iphone] = judgeTrials(stats, trials(20, 20, 15));
    expect(iphone?.pValue).toBeCloseTo(0.0432, 4);
    // Three tests (two rates, the differential); the smallest p is multiplied by three.
    expect(iphone?.adjustedP).toBeCloseTo(3 * (iphone?.pValue ?? 0), 10);
    expect(iphone?.passed).toBe(true);
    expect(iphone?.detectableGap).toBeGreaterThan(0);
    expect(iphone?.text.en).toMatch(
      /exact binomial p = 0\.0432, Holm-adjusted .* > 0\.01: consistent; detects a rate 0\.\d+ below the bound with 95% power/,
    );
    // 12/20: p = 0.00433 alone fails at 1 %; beside four more tests Holm multiplies it by five.
    const alone = judgeTrials({ ...stats, rates: [stats.rates[1] as never] }, trials(20, 20, 12));
    expect(alone[0]?.passed).toBe(false);
    const tests = testTrials({ ...stats, rates: [stats.rates[1] as never] }, trials(20, 20, 12));
    const neighbours = testTrials(stats, trials(20, 20, 20));
    const family = judgeFamily([tests, neighbours, neighbours]);
    expect(family.errorRates?.tests).toBe(8);
    expect(family.rates[0]?.[0]?.adjustedP).toBeCloseTo(Math.min(1, 8 * (tests[0]?.pValue ?? 0)), 6);
    expect(family.errorRates?.text.en).toContain("Holm's procedure at 1%");
  });

  it('does not count errored trials and fails a differential with one platform missing', () => {
    const cells = trials(4, 4, 4).map((c, i) => (i === 0 ? { ...c, status: 'error' as const } : c));
    expect(judgeTrials(stats, cells)[0]?.groups[0]?.trials).toBe(3);
    const onlyAndroid = trials(4, 4, 4).map((c) => ({ ...c, phones: c.phones.slice(0, 1) }));
    expect(judgeTrials({ ...stats, rates: [] }, onlyAndroid)[0]?.passed).toBe(false);
  });

  it('turns the lower-rate platform of a failed differential into "does not reach"', () => {
    const summary: RunSummary = {
      scenarios: 1,
      cells: 20,
      passed: 20,
      failed: 0,
      verdict: [
        { platform: 'android', app: 'cocoa-x', reaches: true, outcome: 'reaches', passed: 20, failed: 0 },
        { platform: 'ios', app: 'cocoa-x', reaches: true, outcome: 'reaches', passed: 20, failed: 0 },
      ],
    };
    const diffOnly = judgeTrials({ ...stats, rates: [] }, trials(20, 0, 20));
    expect(applyRateVerdicts(summary, diffOnly).verdict.map((v) => v.reaches)).toEqual([false, true]);
    expect(applyRateVerdicts(summary, judgeTrials(stats, trials(20, 20, 20)))).toBe(summary);
  });
});
