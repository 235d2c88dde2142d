import { describe, expect, it } from 'vitest';
import {
  clopperPearsonInterval,
  parseRateBound,
  rateHolds,
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

  it('fails only when the interval lies wholly on the wrong side of the bound', () => {
    const ge = { op: '>=', value: 0.9 } as const;
    expect(rateHolds(ge, wilsonInterval(18, 20, 0.05), 20)).toBe(true);
    expect(rateHolds(ge, wilsonInterval(10, 20, 0.05), 20)).toBe(false);
    const le = { op: '<=', value: 0.1 } as const;
    expect(rateHolds(le, wilsonInterval(0, 20, 0.05), 20)).toBe(true);
    expect(rateHolds(le, wilsonInterval(15, 20, 0.05), 20)).toBe(false);
    expect(rateHolds(ge, { low: 0, high: 1 }, 0)).toBe(false);
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
