/**
 * Statistics of a population run, self-contained over jStat's distributions: exact (Clopper–Pearson)
 * intervals of a rate, the two-proportion test behind the platform differential and `--compare`, and
 * the smallest difference a run of its size can resolve (so that "no significant change" is never
 * read as "no change").
 */
import jStat from 'jstat';

export interface Proportion {
  readonly successes: number;
  readonly trials: number;
  /** successes / trials; null with no trials. */
  readonly rate: number | null;
  /** Clopper–Pearson interval at the run's confidence level; null with no trials. */
  readonly interval: readonly [number, number] | null;
}

/**
 * Clopper–Pearson ("exact") interval from beta quantiles (Clopper & Pearson 1934): its coverage is
 * at least 1 − α at every rate, also at 0 and 1, where the 1.1.4 rates sit.
 */
export function exactInterval(k: number, n: number, alpha: number): readonly [number, number] {
  return [
    k === 0 ? 0 : jStat.beta.inv(alpha / 2, k, n - k + 1),
    k === n ? 1 : jStat.beta.inv(1 - alpha / 2, k + 1, n - k),
  ];
}

export function proportion(successes: number, trials: number, alpha: number): Proportion {
  if (trials === 0) return { successes, trials, rate: null, interval: null };
  return { successes, trials, rate: successes / trials, interval: exactInterval(successes, trials, alpha) };
}

/** The power at which a run's detectable difference is stated. */
export const POWER = 0.8;

export interface TwoProportionTest {
  readonly z: number;
  /** Two-sided p-value; 1 when either side has no trials or both rates are 0 or 1. */
  readonly pValue: number;
  readonly alpha: number;
  /** True when the rates cannot be told apart at alpha. */
  readonly indistinguishable: boolean;
  /**
   * The smallest difference from the first rate this run detects at alpha (two-sided) with 80 %
   * power; null when a side has no trials (nothing is detectable).
   */
  readonly detectableDifference: number | null;
}

const zq = (p: number) => jStat.normal.inv(p, 0, 1);

/**
 * Minimum detectable difference of two independent proportions by Cohen's arcsine effect size h
 * (Cohen 1988, §6.2): h = (z₁₋α/₂ + z_power)·√(1/n₁ + 1/n₂). The step from p₁ that reaches h is taken
 * in both directions the rate can move, and the larger is reported, so that any change of that size
 * either way is detected; a direction that cannot reach h counts with its whole range (a change that
 * way is not detectable at all). The arcsine keeps this honest near 0 and 1.
 */
export function detectableDifference(p1: number, n1: number, n2: number, alpha: number): number | null {
  if (n1 === 0 || n2 === 0) return null;
  const h = (zq(1 - alpha / 2) + zq(POWER)) * Math.sqrt(1 / n1 + 1 / n2);
  const phi = 2 * Math.asin(Math.sqrt(p1));
  let worst = 0;
  if (p1 < 1) worst = Math.max(worst, phi + h <= Math.PI ? Math.sin((phi + h) / 2) ** 2 - p1 : 1 - p1);
  if (p1 > 0) worst = Math.max(worst, phi - h >= 0 ? p1 - Math.sin((phi - h) / 2) ** 2 : p1);
  return worst;
}

/** Pooled two-proportion z-test (e.g. Agresti, Categorical Data Analysis, §2.2), two-sided. */
export function twoProportionTest(a: Proportion, b: Proportion, alpha: number): TwoProportionTest {
  const detectable = detectableDifference(a.rate ?? 0, a.trials, b.trials, alpha);
  const none = { z: 0, pValue: 1, alpha, indistinguishable: true, detectableDifference: detectable };
  if (a.trials === 0 || b.trials === 0) return none;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return none;
  const z = (a.successes / a.trials - b.successes / b.trials) / se;
  const pValue = Math.min(1, 2 * jStat.normal.cdf(-Math.abs(z), 0, 1));
  return { z, pValue, alpha, indistinguishable: pValue >= alpha, detectableDifference: detectable };
}

/**
 * What a comparison of two rates resolved: a significant difference, no difference where the run
 * could have seen one of `margin` or more, or nothing (too few trials: never a pass).
 */
export type Resolution = 'differ' | 'same' | 'inconclusive';

export function resolve(test: TwoProportionTest, margin: number): Resolution {
  if (!test.indistinguishable) return 'differ';
  return test.detectableDifference !== null && test.detectableDifference <= margin ? 'same' : 'inconclusive';
}

/** The default margin: a difference of 10 percentage points is one a run must be able to see (UNVERIFIED choice). */
export const DEFAULT_MARGIN = 0.1;

/** "p = 0.0312", or "< 0.0001" where the double has run out of digits. */
export const formatP = (p: number): string => (p < 1e-4 ? '< 0.0001' : p.toPrecision(3));
