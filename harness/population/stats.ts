/** Proportions with intervals, and the two-proportion test the platform differential uses. */

export interface Proportion {
  readonly successes: number;
  readonly trials: number;
  /** successes / trials; null with no trials. */
  readonly rate: number | null;
  /** Wilson score interval at the run's confidence level; null with no trials. */
  readonly interval: readonly [number, number] | null;
}

/** Standard normal quantile for a two-sided level (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** Standard normal CDF through erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Wilson score interval (Wilson 1927): good coverage also near 0 and 1, where the 1.1.4 rates sit. */
export function proportion(successes: number, trials: number, alpha: number): Proportion {
  if (trials === 0) return { successes, trials, rate: null, interval: null };
  const z = normalQuantile(1 - alpha / 2);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / (1 + z2n);
  return { successes, trials, rate: p, interval: [Math.max(0, centre - half), Math.min(1, centre + half)] };
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
  if (a.trials === 0 || b.trials === 0) return { z: 0, pValue: 1, alpha, indistinguishable: true };
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return { z: 0, pValue: 1, alpha, indistinguishable: true };
  const z = (a.successes / a.trials - b.successes / b.trials) / se;
  const pValue = 2 * (1 - normalCdf(Math.abs(z)));
  return { z, pValue, alpha, indistinguishable: pValue >= alpha };
}

/** "p = 0.0312", or "< 0.0001" where the double has run out of digits. */
export const formatP = (p: number): string => (p < 1e-4 ? '< 0.0001' : p.toPrecision(3));
