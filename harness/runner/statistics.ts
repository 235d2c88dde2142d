/**
 * Statistics for scenarios judged over many trials: confidence intervals of a notification rate and
 * the two-proportion test behind `differential: platform`. Pure functions; the distributions come
 * from jStat.
 */
import jStat from 'jstat';

export const INTERVAL_METHODS = ['wilson', 'clopper-pearson'] as const;
export type IntervalMethod = (typeof INTERVAL_METHODS)[number];

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** Two-sided standard normal quantile z(1 − α/2). */
const z = (alpha: number): number => jStat.normal.inv(1 - alpha / 2, 0, 1);

/** Wilson score interval of k successes in n trials at confidence 1 − α (Wilson 1927). */
export function wilsonInterval(k: number, n: number, alpha: number): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const q = z(alpha);
  const p = k / n;
  const denom = 1 + (q * q) / n;
  const centre = (p + (q * q) / (2 * n)) / denom;
  const half = (q * Math.sqrt((p * (1 - p)) / n + (q * q) / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Clopper–Pearson ("exact") interval from beta quantiles (Clopper & Pearson 1934). */
export function clopperPearsonInterval(k: number, n: number, alpha: number): Interval {
  if (n === 0) return { low: 0, high: 1 };
  return {
    low: k === 0 ? 0 : jStat.beta.inv(alpha / 2, k, n - k + 1),
    high: k === n ? 1 : jStat.beta.inv(1 - alpha / 2, k + 1, n - k),
  };
}

export const INTERVALS: Readonly<Record<IntervalMethod, (k: number, n: number, alpha: number) => Interval>> =
  {
    wilson: wilsonInterval,
    'clopper-pearson': clopperPearsonInterval,
  };

export const RATE_OPS = ['>=', '>', '<=', '<'] as const;
export type RateOp = (typeof RATE_OPS)[number];

export interface RateBound {
  readonly op: RateOp;
  readonly value: number;
}

/** ">= 0.9" → { op: '>=', value: 0.9 }; null when it is not a comparison with a rate in [0, 1]. */
export function parseRateBound(text: string): RateBound | null {
  const m = /^\s*(>=|<=|>|<)\s*(0(?:\.\d+)?|1(?:\.0+)?|\.\d+)\s*$/.exec(text);
  if (!m) return null;
  return { op: m[1] as RateOp, value: Number(m[2]) };
}

/**
 * A rate expectation holds unless the data contradict it at confidence 1 − α: it fails when the
 * whole interval lies on the wrong side of the bound (">= 0.9" fails when high < 0.9). A true rate
 * on the right side fails at most α/2 of the time; no trials at all never pass.
 */
export function rateHolds(bound: RateBound, interval: Interval, n: number): boolean {
  if (n === 0) return false;
  switch (bound.op) {
    case '>=':
      return interval.high >= bound.value;
    case '>':
      return interval.high > bound.value;
    case '<=':
      return interval.low <= bound.value;
    case '<':
      return interval.low < bound.value;
  }
}

export interface TwoProportionTest {
  readonly z: number;
  /** Two-sided p-value; 1 when both groups are all-success or all-failure (nothing tells them apart). */
  readonly pValue: number;
}

/** Pooled two-proportion z-test of k1/n1 against k2/n2 (two-sided). */
export function twoProportionTest(k1: number, n1: number, k2: number, n2: number): TwoProportionTest {
  if (n1 === 0 || n2 === 0) return { z: 0, pValue: 1 };
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const zStat = (k1 / n1 - k2 / n2) / se;
  return { z: zStat, pValue: Math.min(1, 2 * jStat.normal.cdf(-Math.abs(zStat), 0, 1)) };
}
