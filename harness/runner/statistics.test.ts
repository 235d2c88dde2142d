import { describe, expect, it } from 'vitest';
import {
  binomialPmf,
  clopperPearsonInterval,
  detectableDifference,
  detectableRateGap,
  differentialPower,
  FAMILY_ALPHA,
  fisherExactTest,
  holmAdjust,
  parseRateBound,
  type RateBound,
  rateTestP,
  rejectionProbability,
  trialsForDifference,
  trialsForRate,
  twoProportionTest,
  wilsonInterval,
} from './statistics.js';

describe('confidence intervals', () => {
  it('Wilson matches published values (Newcombe 1998, table I: 81/263 → 0.2553–0.3662)', () => {
    const i = wilsonInterval(81, 263, 0.05);
    expect(i.low).toBeCloseTo(0.2553, 4);
    expect(i.high).toBeCloseTo(0.3662, 4);
  });

  it('Clopper–Pearson matches published values (Newcombe 1998, table I: 81/263 → 0.2527–0.3676)', () => {
    const i = clopperPearsonInterval(81, 263, 0.05);
    expect(i.low).toBeCloseTo(0.2527, 4);
    expect(i.high).toBeCloseTo(0.3676, 4);
  });

  it('handles all-success, all-failure and no trials', () => {
    expect(clopperPearsonInterval(0, 20, 0.05).low).toBe(0);
    expect(clopperPearsonInterval(20, 20, 0.05).high).toBe(1);
    // (α/2)^(1/n): the exact one-sided bound for 20/20.
    expect(clopperPearsonInterval(20, 20, 0.05).low).toBeCloseTo(0.025 ** (1 / 20), 6);
    expect(wilsonInterval(0, 0, 0.05)).toEqual({ low: 0, high: 1 });
    expect(wilsonInterval(10, 10, 0.05).high).toBe(1);
  });

  it('narrows as trials grow and widens as α shrinks', () => {
    const width = (n: number, a: number) => {
      const i = wilsonInterval(n / 2, n, a);
      return i.high - i.low;
    };
    expect(width(100, 0.05)).toBeLessThan(width(20, 0.05));
    expect(width(20, 0.01)).toBeGreaterThan(width(20, 0.05));
  });
});

describe('rate expectations', () => {
  it('parses bounds and rejects anything else', () => {
    expect(parseRateBound('>= 0.9')).toEqual({ op: '>=', value: 0.9 });
    expect(parseRateBound('<0.05')).toEqual({ op: '<', value: 0.05 });
    expect(parseRateBound('>= 1')).toEqual({ op: '>=', value: 1 });
    expect(parseRateBound('>= 1.5')).toBeNull();
    expect(parseRateBound('= 0.9')).toBeNull();
    expect(parseRateBound('about 0.9')).toBeNull();
  });

  it('gives the exact one-sided binomial p-value against the bound', () => {
    // P(X ≤ 3 | 5, 0.9) = 1 − P(4) − P(5) = 1 − 0.32805 − 0.59049.
    expect(rateTestP({ op: '>=', value: 0.9 }, 3, 5)).toBeCloseTo(0.08146, 5);
    expect(rateTestP({ op: '>=', value: 0.9 }, 5, 5)).toBe(1);
    // P(X ≥ 2 | 10, 0.1) = 1 − 0.9^10 − 10 · 0.1 · 0.9^9.
    expect(rateTestP({ op: '<=', value: 0.1 }, 2, 10)).toBeCloseTo(1 - 0.9 ** 10 - 0.9 ** 9, 10);
    expect(rateTestP({ op: '<=', value: 0.1 }, 0, 10)).toBe(1);
    expect(rateTestP({ op: '>=', value: 1 }, 9, 10)).toBe(0);
  });
});

/** The false-fail probability, summed by hand from the pmf: every count whose p-value is ≤ the level. */
function falseFail(bound: RateBound, n: number, level: number): number {
  let sum = 0;
  for (let k = 0; k <= n; k++) if (rateTestP(bound, k, n) <= level) sum += binomialPmf(k, n, bound.value);
  return sum;
}

describe('error rates as stated (exact, not simulated)', () => {
  const bounds: RateBound[] = [
    { op: '>=', value: 0.9 },
    { op: '>=', value: 0.5 },
    { op: '>', value: 0.95 },
    { op: '<=', value: 0.1 },
    { op: '<', value: 0.05 },
  ];
  // The strictest level Holm may use for one test of the standard library's five, and the loosest.
  const levels = [FAMILY_ALPHA / 5, FAMILY_ALPHA];

  it.each([5, 10, 20, 50])('n = %i: a true rate on the bound fails at most the stated share', (n) => {
    for (const bound of bounds)
      for (const level of levels) {
        const p = falseFail(bound, n, level);
        expect(p, `${bound.op} ${bound.value}, n = ${n}, level ${level}`).toBeLessThanOrEqual(level);
        expect(rejectionProbability(bound, n, level, bound.value)).toBeCloseTo(p, 12);
      }
  });

  it('pins the figures at the 1 % family level for ">= 0.9"', () => {
    const ge = { op: '>=', value: 0.9 } as const;
    // n = 5: only 0–2 notified fail: 0.00856. n = 10: 0–5: 0.00163. n = 20: 0–13: 0.00239. n = 50: 0–38: 0.00935.
    expect(falseFail(ge, 5, 0.01)).toBeCloseTo(0.00856, 5);
    expect(falseFail(ge, 10, 0.01)).toBeCloseTo(0.0016349374, 9);
    expect(falseFail(ge, 20, 0.01)).toBeCloseTo(0.0023861, 6);
    expect(falseFail(ge, 50, 0.01)).toBeCloseTo(0.0093546, 6);
  });

  it('the Wilson rule it replaces failed a true rate of 0.9 more often than its stated 2.5 %', () => {
    const wilsonFalseFail = (n: number) => {
      let sum = 0;
      for (let k = 0; k <= n; k++) if (wilsonInterval(k, n, 0.05).high < 0.9) sum += binomialPmf(k, n, 0.9);
      return sum;
    };
    expect(wilsonFalseFail(5)).toBeCloseTo(0.0815, 3);
    expect(wilsonFalseFail(10)).toBeCloseTo(0.0702, 3);
    expect(wilsonFalseFail(20)).toBeCloseTo(0.0432, 3);
  });
});

describe('power and trials', () => {
  const ge = { op: '>=', value: 0.9 } as const;

  it('sizes trials: auto as the fewest trials with 95 % exact power at the level', () => {
    const n = trialsForRate(ge, 0.3, 0.002) as number;
    expect(rejectionProbability(ge, n, 0.002, 0.6)).toBeGreaterThanOrEqual(0.95);
    for (let m = 1; m < n; m++) expect(rejectionProbability(ge, m, 0.002, 0.6)).toBeLessThan(0.95);
  });

  it('states the smallest gap n trials detect, and none when too few', () => {
    const gap = detectableRateGap(ge, 20, 0.01) as number;
    expect(rejectionProbability(ge, 20, 0.01, 0.9 - gap)).toBeGreaterThanOrEqual(0.95);
    expect(rejectionProbability(ge, 20, 0.01, 0.9 - gap + 0.01)).toBeLessThan(0.95);
    expect(detectableRateGap(ge, 2, 0.002)).toBeNull();
    expect(detectableRateGap(ge, 50, 0.01) as number).toBeLessThan(gap);
  });

  it('sizes a differential by Fisher power, and its false-fail never exceeds the level', () => {
    const n = trialsForDifference(0.9, 0.6, 0.002) as number;
    expect(differentialPower(n, n, 0.9, 0.3, 0.002)).toBeGreaterThanOrEqual(0.95);
    expect(differentialPower(n - 1, n - 1, 0.9, 0.3, 0.002)).toBeLessThan(0.95);
    for (const p of [0.5, 0.9]) expect(differentialPower(10, 10, p, p, 0.01)).toBeLessThanOrEqual(0.01);
    const d = detectableDifference(n, n, 0.9, 0.002) as number;
    expect(d).toBeLessThanOrEqual(0.6);
  });
});

describe('Fisher exact test and Holm', () => {
  it('matches R fisher.test: 3/10 vs 5/10 → p = 0.6499; 0/10 vs 10/10 → 2 / C(20, 10)', () => {
    expect(fisherExactTest(3, 10, 5, 10)).toBeCloseTo(0.6499, 4);
    expect(fisherExactTest(0, 10, 10, 10)).toBeCloseTo(2 / 184756, 10);
    expect(fisherExactTest(10, 10, 10, 10)).toBe(1);
  });

  it('adjusts step-down: (m − j + 1) · p, made monotone', () => {
    expect(holmAdjust([0.01, 0.04, 0.03, 0.5])).toEqual([0.04, 0.09, 0.09, 0.5]);
    expect(holmAdjust([0.2])).toEqual([0.2]);
    expect(holmAdjust([0.6, 0.6])).toEqual([1, 1]);
  });
});

describe('two-proportion test', () => {
  it('matches a hand computation: 15/20 vs 5/20 → z = 3.162, p = 0.00157', () => {
    const t = twoProportionTest(15, 20, 5, 20);
    expect(t.z).toBeCloseTo(3.1623, 3);
    expect(t.pValue).toBeCloseTo(0.001565, 5);
  });

  it('cannot tell identical groups apart, and tells 0/20 from 20/20 apart', () => {
    expect(twoProportionTest(20, 20, 20, 20).pValue).toBe(1);
    expect(twoProportionTest(0, 20, 0, 20).pValue).toBe(1);
    expect(twoProportionTest(0, 20, 20, 20).pValue).toBeLessThan(1e-6);
    expect(twoProportionTest(10, 20, 11, 20).pValue).toBeGreaterThan(0.5);
  });
});
