import { describe, expect, it } from 'vitest';
import { detectableDifference, formatP, proportion, resolve, twoProportionTest } from './stats.js';

describe('statistics of a population run', () => {
  it('exact interval of 0 of n and n of n has the closed form (α/2)^(1/n)', () => {
    const none = proportion(0, 178, 0.01);
    expect(none.interval?.[0]).toBe(0);
    expect(none.interval?.[1]).toBeCloseTo(1 - 0.005 ** (1 / 178), 9);
    const all = proportion(40, 40, 0.05);
    expect(all.interval?.[0]).toBeCloseTo(0.025 ** (1 / 40), 9);
    expect(all.interval?.[1]).toBe(1);
  });

  it('exact interval matches the textbook example (81 of 263, 95 %)', () => {
    // Newcombe (1998), Statistics in Medicine 17:857, method 5 (Clopper–Pearson): 0.2527 to 0.3676.
    const p = proportion(81, 263, 0.05);
    expect(p.rate).toBeCloseTo(0.308, 3);
    expect(p.interval?.[0]).toBeCloseTo(0.2527, 3);
    expect(p.interval?.[1]).toBeCloseTo(0.3676, 3);
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

  it('detectable difference at 50 % is sin(h)/2 with Cohen’s h for α and 80 % power', () => {
    // Cohen (1988) Table 6.4.1: h = 0.4 needs n ≈ 98 per group at α = 0.05 two-sided, power 0.8.
    const d = detectableDifference(0.5, 98, 98, 0.05) as number;
    expect(Math.sin(0.4) / 2).toBeCloseTo(d, 2);
    // More trials resolve smaller differences; a stricter α needs a larger one.
    expect(detectableDifference(0.5, 980, 980, 0.05) as number).toBeLessThan(d);
    expect(detectableDifference(0.5, 98, 98, 0.01) as number).toBeGreaterThan(d);
    expect(detectableDifference(0.5, 0, 98, 0.05)).toBeNull();
    // Near 1 a rise is easy to see and a fall is not: the larger (downward) step is reported.
    const h = (2.5758 + 0.8416) * Math.sqrt(2 / 42);
    const down = 0.833 - Math.sin((2 * Math.asin(Math.sqrt(0.833))) / 2 - h / 2) ** 2;
    expect(detectableDifference(0.833, 42, 42, 0.01) as number).toBeCloseTo(down, 3);
    expect(down).toBeGreaterThan(0.3);
  });

  it('Android 0 of 2 against iOS 4 of 4 is inconclusive, never the same', () => {
    const t = twoProportionTest(proportion(0, 2, 0.01), proportion(4, 4, 0.01), 0.01);
    expect(t.indistinguishable).toBe(true);
    expect(t.detectableDifference as number).toBeGreaterThan(0.5);
    expect(resolve(t, 0.1)).toBe('inconclusive');
    const big = twoProportionTest(proportion(600, 1000, 0.01), proportion(1210, 2000, 0.01), 0.01);
    expect(resolve(big, 0.1)).toBe('same');
    const apart = twoProportionTest(proportion(0, 178, 0.01), proportion(254, 409, 0.01), 0.01);
    expect(resolve(apart, 0.1)).toBe('differ');
  });

  it('prints tiny p-values without pretending to digits it lacks', () => {
    expect(formatP(0)).toBe('< 0.0001');
    expect(formatP(0.0312)).toBe('0.0312');
  });
});
