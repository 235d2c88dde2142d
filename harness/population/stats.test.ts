import { describe, expect, it } from 'vitest';
import { formatP, proportion, twoProportionTest } from './stats.js';

describe('statistics of a population run', () => {
  it('Wilson interval matches the textbook example (81 of 263, 95 %)', () => {
    // Newcombe (1998), Statistics in Medicine 17:857, method 3: 0.2553 to 0.3662.
    const p = proportion(81, 263, 0.05);
    expect(p.rate).toBeCloseTo(0.308, 3);
    expect(p.interval?.[0]).toBeCloseTo(0.2553, 3);
    expect(p.interval?.[1]).toBeCloseTo(0.3662, 3);
  });

  it('Wilson interval of 0 of n stays above 0 only at the top', () => {
    const p = proportion(0, 178, 0.01);
    expect(p.interval?.[0]).toBe(0);
    expect(p.interval?.[1]).toBeGreaterThan(0.02);
    expect(p.interval?.[1]).toBeLessThan(0.05);
  });

  it('has no rate without trials', () => {
    expect(proportion(0, 0, 0.05)).toEqual({ successes: 0, trials: 0, rate: null, interval: null });
  });

  it('two-proportion test: equal rates are indistinguishable, 0 % against 60 % is not', () => {
    const same = twoProportionTest(proportion(60, 100, 0.01), proportion(120, 200, 0.01), 0.01);
    expect(same.z).toBeCloseTo(0, 9);
    expect(same.indistinguishable).toBe(true);
    const apart = twoProportionTest(proportion(0, 178, 0.01), proportion(254, 409, 0.01), 0.01);
    expect(apart.pValue).toBeLessThan(1e-6);
    expect(apart.indistinguishable).toBe(false);
    // z by hand: pooled 254/587, se = sqrt(p(1-p)(1/178+1/409)).
    const pooled = 254 / 587;
    expect(apart.z).toBeCloseTo((0 - 254 / 409) / Math.sqrt(pooled * (1 - pooled) * (1 / 178 + 1 / 409)), 9);
  });

  it('prints tiny p-values without pretending to digits it lacks', () => {
    expect(formatP(0)).toBe('< 0.0001');
    expect(formatP(0.0312)).toBe('0.0312');
  });
});
