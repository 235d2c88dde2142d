/**
 * Rates of a population run with their intervals, and the platform differential: the scenario
 * language's statistics (runner/statistics.ts) in the shape population results keep.
 */
import { twoProportionTest as pooledTest, wilsonInterval } from '../runner/statistics.js';

export interface Proportion {
  readonly successes: number;
  readonly trials: number;
  /** successes / trials; null with no trials. */
  readonly rate: number | null;
  /** Wilson score interval at the run's confidence level; null with no trials. */
  readonly interval: readonly [number, number] | null;
}

/** Wilson score interval (Wilson 1927): good coverage also near 0 and 1, where the 1.1.4 rates sit. */
export function proportion(successes: number, trials: number, alpha: number): Proportion {
  if (trials === 0) return { successes, trials, rate: null, interval: null };
  const { low, high } = wilsonInterval(successes, trials, alpha);
  return { successes, trials, rate: successes / trials, interval: [low, high] };
}

export interface TwoProportionTest {
  readonly z: number;
  /** Two-sided p-value; 1 when either side has no trials or both rates are 0 or 1. */
  readonly pValue: number;
  readonly alpha: number;
  /** True when the rates cannot be told apart at alpha. */
  readonly indistinguishable: boolean;
}

/** Pooled two-proportion z-test (e.g. Agresti, Categorical Data Analysis, §2.2). */
export function twoProportionTest(a: Proportion, b: Proportion, alpha: number): TwoProportionTest {
  const { z, pValue } = pooledTest(a.successes, a.trials, b.successes, b.trials);
  return { z, pValue, alpha, indistinguishable: pValue >= alpha };
}

/** "p = 0.0312", or "< 0.0001" where the double has run out of digits. */
export const formatP = (p: number): string => (p < 1e-4 ? '< 0.0001' : p.toPrecision(3));
