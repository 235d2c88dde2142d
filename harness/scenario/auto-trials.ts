/**
 * `trials: auto`: as many trials as the scenario's tests need to detect its stated gap with 95 %
 * power, at the level the run's Holm procedure holds its strictest test to (FAMILY_ALPHA over the
 * number of statistical tests in the plan). Power is the exact binomial sum (runner/statistics.ts).
 */

import {
  differentialPower,
  FAMILY_ALPHA,
  MAX_DIFFERENTIAL_TRIALS,
  MAX_TRIALS,
  parseRateBound,
  type RateBound,
  rejectionProbability,
} from '../runner/statistics.js';
import { cellSeed } from './cell-seed.js';
import { ScenarioError } from './errors.js';
import type { PlannedCell, PlannedScenario, PlannedStatistics } from './plan.js';

/** The power `trials: auto` aims at. */
export const AUTO_POWER = 0.95;

/**
 * Tests a scenario contributes to the run's family: each rate per receiving platform × app of its
 * phone (runner/trials.ts judges them apart), and the differential.
 */
export function statisticalTests(s: PlannedScenario): number {
  const st = s.statistics;
  if (!st) return 0;
  let tests = st.differential ? 1 : 0;
  for (const r of st.rates) {
    const groups = new Set<string>();
    for (const c of s.cells)
      for (const e of c.expectations) if (e.phone === r.phone) groups.add(`${e.platform}\u0000${e.app}`);
    tests += groups.size;
  }
  return tests;
}

/** The rate a differential is sized from: the highest lower bound the receivers must meet, else ½. */
export function differentialBaseline(st: PlannedStatistics): number {
  const lower = st.rates
    .map((r) => parseRateBound(r.bound))
    .filter((b): b is RateBound => b !== null && (b.op === '>=' || b.op === '>'))
    .map((b) => b.value);
  return lower.length > 0 ? Math.max(...lower) : 0.5;
}

/**
 * Receivers of `phones` per trial, by platform × app: a trial of a matrix scenario runs every base
 * cell once, so a group counts each base cell whose expectations hold one of the phones in it.
 */
function perTrial(s: PlannedScenario, phones: ReadonlySet<string>): Map<string, number> {
  const groups = new Map<string, number>();
  for (const c of s.cells)
    for (const e of c.expectations)
      if (phones.has(e.phone))
        groups.set(`${e.platform}\u0000${e.app}`, (groups.get(`${e.platform}\u0000${e.app}`) ?? 0) + 1);
  return groups;
}

/**
 * The fewest trials at which every test of the scenario has the power to detect `gap` at `level`,
 * counting the receivers each trial adds to each group; or a reason none up to the limit will do.
 */
function sizeScenario(
  s: PlannedScenario,
  st: PlannedStatistics,
  gap: number,
  level: number,
): number | string {
  const checks: { max: number; holds: (n: number) => boolean; reason: string }[] = [];
  for (const r of st.rates) {
    const bound = parseRateBound(r.bound) as RateBound;
    const fewest = Math.min(...perTrial(s, new Set([r.phone])).values());
    const target =
      bound.op === '>=' || bound.op === '>' ? Math.max(0, bound.value - gap) : Math.min(1, bound.value + gap);
    checks.push({
      max: MAX_TRIALS,
      holds: (n) => rejectionProbability(bound, n * fewest, level, target) >= AUTO_POWER,
      reason: `no number of trials detects a rate ${gap} past "${r.bound}"`,
    });
  }
  if (st.differential) {
    const phones = new Set(
      st.rates.length > 0
        ? st.rates.map((r) => r.phone)
        : s.cells.flatMap((c) => c.expectations.map((e) => e.phone)),
    );
    const groups = [...perTrial(s, phones).entries()];
    const on = (p: string) =>
      groups.filter(([k]) => k.startsWith(`${p}\u0000`)).reduce((n, [, v]) => n + v, 0);
    const [ka, ki] = [on('android'), on('ios')];
    const base = differentialBaseline(st);
    checks.push({
      max: Math.floor(MAX_DIFFERENTIAL_TRIALS / Math.max(ka, ki, 1)),
      holds: (n) =>
        ka > 0 &&
        ki > 0 &&
        differentialPower(n * ka, n * ki, base, Math.max(0, base - gap), level) >= AUTO_POWER,
      reason: `the differential cannot detect a gap of ${gap} within ${MAX_DIFFERENTIAL_TRIALS} receivers per platform`,
    });
  }
  let n = 2;
  for (const c of checks) {
    while (n <= c.max && !c.holds(n)) n++;
    if (n > c.max) return c.reason;
  }
  // A later check may have raised n past a count an earlier one needed: recheck them all there.
  return checks.every((c) => c.holds(n)) ? n : sizeScenarioFrom(checks, n + 1);
}

/** Continues the search from `start` until every check holds at once. */
function sizeScenarioFrom(
  checks: { max: number; holds: (n: number) => boolean; reason: string }[],
  start: number,
): number | string {
  const max = Math.min(...checks.map((c) => c.max));
  for (let n = start; n <= max; n++) if (checks.every((c) => c.holds(n))) return n;
  return checks[0]?.reason ?? 'no number of trials has the power';
}

/** Copies the single planned trial of each `auto` scenario to the sized count, with fresh ids and seeds. */
export function sizeAutoTrials(
  planned: readonly PlannedScenario[],
  seed: number,
  lineOf: (id: string) => number,
): PlannedScenario[] {
  const tests = planned.reduce((n, s) => n + statisticalTests(s), 0);
  const level = FAMILY_ALPHA / Math.max(1, tests);
  return planned.map((s) => {
    const st = s.statistics;
    if (!st || st.gap === undefined || !s.cells.every((c) => c.trial?.of === 1)) return s;
    const n = sizeScenario(s, st, st.gap, level);
    if (typeof n === 'string')
      throw new ScenarioError(
        s.file,
        lineOf(s.id),
        1,
        `${s.id} trials: auto: ${n} at level ${level.toPrecision(2)}`,
      );
    const cells: PlannedCell[] = s.cells.flatMap((c) => {
      const baseId = c.trial?.baseId ?? c.id;
      return Array.from({ length: n }, (_, i) => {
        const id = `${baseId}#${i + 1}`;
        return { ...c, id, seed: cellSeed(seed, id), trial: { index: i + 1, of: n, baseId } };
      });
    });
    return { ...s, cells, statistics: { ...st, trials: n, auto: { level, tests } } };
  });
}
