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
 * Exact one-sided binomial p-value of k notified in n trials against the bound: how likely a result
 * this far on the wrong side is when the true rate sits exactly on the bound (the least favourable
 * rate that still meets it). ">= 0.9" with 3/5: P(X ≤ 3 | n = 5, p = 0.9) = 0.0815.
 */
export function rateTestP(bound: RateBound, k: number, n: number): number {
  if (n === 0) return 1;
  if (bound.op === '>=' || bound.op === '>') return binomialCdf(k, n, bound.value);
  return k === 0 ? 1 : 1 - binomialCdf(k - 1, n, bound.value);
}

/** P(X = k) for X ~ Binomial(n, p), with the degenerate rates 0 and 1 exact. */
export function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return 0;
  if (p <= 0) return k === 0 ? 1 : 0;
  if (p >= 1) return k === n ? 1 : 0;
  return jStat.binomial.pdf(k, n, p);
}

/** P(X ≤ k), summed from the pmf (exact to rounding; clamped to [0, 1]). */
export function binomialCdf(k: number, n: number, p: number): number {
  let sum = 0;
  for (let i = 0; i <= Math.min(k, n); i++) sum += binomialPmf(i, n, p);
  return Math.min(1, sum);
}

/**
 * The chance that an expectation judged at `level` fails although the true rate is `trueRate`:
 * the binomial pmf summed over every count whose exact p-value is ≤ level. With trueRate on the
 * bound this is the false-fail probability; further on the wrong side it is the power.
 */
export function rejectionProbability(bound: RateBound, n: number, level: number, trueRate: number): number {
  // The p-values are running sums of the pmf at the bound: one pass, not one sum per count.
  const atBound = Array.from({ length: n + 1 }, (_, k) => binomialPmf(k, n, bound.value));
  const lower = bound.op === '>=' || bound.op === '>';
  let tail = 0;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const k = lower ? i : n - i;
    tail += atBound[k] as number;
    if (n > 0 && Math.min(1, tail) <= level) sum += binomialPmf(k, n, trueRate);
  }
  return Math.min(1, sum);
}

/** Rate on the wrong side of the bound at distance `gap`, inside [0, 1]. */
const wrongSide = (bound: RateBound, gap: number) =>
  bound.op === '>=' || bound.op === '>' ? Math.max(0, bound.value - gap) : Math.min(1, bound.value + gap);

/**
 * The smallest shortfall from the bound that n trials detect with the given power at `level`
 * (the true rate `gap` on the wrong side); null when even a rate of 0 (or 1) would not be detected.
 * The rejection region is fixed by n and the level, so power grows with the gap: bisection.
 */
export function detectableRateGap(bound: RateBound, n: number, level: number, power = 0.95): number | null {
  const widest = bound.op === '>=' || bound.op === '>' ? bound.value : 1 - bound.value;
  if (rejectionProbability(bound, n, level, wrongSide(bound, widest)) < power) return null;
  let lo = 0;
  let hi = widest;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (rejectionProbability(bound, n, level, wrongSide(bound, mid)) >= power) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Most trials `trials: auto` may choose (the schema's limit for trials). */
export const MAX_TRIALS = 1000;

/**
 * `trials: auto` for a rate: the fewest trials whose exact test at `level` fails a true rate `gap`
 * on the wrong side of the bound with the given power; null when no n up to MAX_TRIALS does.
 */
export function trialsForRate(bound: RateBound, gap: number, level: number, power = 0.95): number | null {
  for (let n = 1; n <= MAX_TRIALS; n++)
    if (rejectionProbability(bound, n, level, wrongSide(bound, gap)) >= power) return n;
  return null;
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

const logChoose = (n: number, k: number) => jStat.combinationln(n, k);

/**
 * Fisher's exact test of k1/n1 against k2/n2, two-sided: the probability, given the margins, of every
 * table no more likely than the one observed (Fisher 1935; the "sum of small p" rule as in R's
 * fisher.test, with its relative tolerance 1e-7). Conditional on the margins it is exact, so its
 * false-fail probability never exceeds the level, which the z-test's does at few trials.
 */
export function fisherExactTest(k1: number, n1: number, k2: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  const m = k1 + k2;
  const lo = Math.max(0, m - n2);
  const hi = Math.min(m, n1);
  const logTotal = logChoose(n1 + n2, m);
  const prob = (x: number) => Math.exp(logChoose(n1, x) + logChoose(n2, m - x) - logTotal);
  const observed = prob(k1) * (1 + 1e-7);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const px = prob(x);
    if (px <= observed) p += px;
  }
  return Math.min(1, p);
}

/**
 * Probability that Fisher's test at `level` tells n1 trials at rate p1 from n2 at rate p2 apart:
 * summed exactly over every pair of counts.
 */
export function differentialPower(n1: number, n2: number, p1: number, p2: number, level: number): number {
  let sum = 0;
  for (let k1 = 0; k1 <= n1; k1++) {
    const w1 = binomialPmf(k1, n1, p1);
    if (w1 === 0) continue;
    for (let k2 = 0; k2 <= n2; k2++)
      if (fisherExactTest(k1, n1, k2, n2) <= level) sum += w1 * binomialPmf(k2, n2, p2);
  }
  return Math.min(1, sum);
}

/**
 * The smallest difference from `baseline` (the other platform at baseline − gap) that the
 * differential detects with the given power at `level`; null when not even baseline vs 0 is.
 */
export function detectableDifference(
  n1: number,
  n2: number,
  baseline: number,
  level: number,
  power = 0.95,
): number | null {
  const reject: [number, number][] = [];
  for (let k1 = 0; k1 <= n1; k1++)
    for (let k2 = 0; k2 <= n2; k2++) if (fisherExactTest(k1, n1, k2, n2) <= level) reject.push([k1, k2]);
  const powerAt = (gap: number) =>
    reject.reduce(
      (s, [k1, k2]) => s + binomialPmf(k1, n1, baseline) * binomialPmf(k2, n2, Math.max(0, baseline - gap)),
      0,
    );
  if (powerAt(baseline) < power) return null;
  let lo = 0;
  let hi = baseline;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (powerAt(mid) >= power) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Receivers per platform beyond which `trials: auto` looks no further for a differential (the exact power sum grows as n³). */
export const MAX_DIFFERENTIAL_TRIALS = 100;

/** `trials: auto` for a differential: the fewest trials per platform that detect `gap` below `baseline`. */
export function trialsForDifference(
  baseline: number,
  gap: number,
  level: number,
  power = 0.95,
): number | null {
  for (let n = 2; n <= MAX_TRIALS; n++) {
    if (differentialPower(n, n, baseline, Math.max(0, baseline - gap), level) >= power) return n;
    if (n >= MAX_DIFFERENTIAL_TRIALS) return null;
  }
  return null;
}

/** The share of runs a fair library may fail by chance: Holm across the run's statistical expectations. */
export const FAMILY_ALPHA = 0.01;

/**
 * Holm's step-down adjustment (Holm 1979): p-values adjusted so that rejecting every adjusted p ≤ α
 * fails a run in which every expectation holds with probability at most α, whatever the dependence
 * between them. Adjusted p of the i-th smallest = max over j ≤ i of min(1, (m − j + 1) · p_(j)).
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
