/**
 * Judging a scenario over its trials: each rate expectation per receiving platform and app (an exact
 * one-sided binomial test against its bound), and the platform differential (are Android and iOS
 * receivers of the same contacts notified at rates Fisher's exact test cannot tell apart?). The run
 * then holds every such test together with Holm's procedure at FAMILY_ALPHA, so a library that
 * meets every expectation fails a run by chance in at most 1 % of runs (judgeFamily). Trials that
 * errored count in neither numerator nor denominator: they already fail the run as errors.
 */

import { differentialBaseline } from '../scenario/auto-trials.js';
import type { PlannedStatistics } from '../scenario/plan.js';
import type { CellResult, ErrorRates, RateGroup, RateResult, RunSummary } from './results.js';
import {
  detectableDifference,
  detectableRateGap,
  FAMILY_ALPHA,
  fisherExactTest,
  holmAdjust,
  INTERVALS,
  parseRateBound,
  type RateBound,
  rateTestP,
} from './statistics.js';

/** The intervals in the report are 95 % intervals: they describe the data; the exact test decides. */
export const DISPLAY_ALPHA = 0.05;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const stops = (g: RateGroup) => {
  const e = Object.entries(g.stoppedAt);
  return e.length === 0 ? '' : ` (not notified: ${e.map(([link, n]) => `${n}× at ${link}`).join(', ')})`;
};
const describeGroup = (g: RateGroup) =>
  `${g.platform} ${g.notified}/${g.trials} = ${pct(g.rate)} [${pct(g.low)}, ${pct(g.high)}]${stops(g)}`;

/** Notified counts of `phones` over the finished trials, one group per receiving platform × app. */
export function rateGroups(
  statistics: PlannedStatistics,
  cells: readonly CellResult[],
  phones: ReadonlySet<string>,
): RateGroup[] {
  const groups = new Map<
    string,
    {
      platform: 'android' | 'ios';
      app: string;
      phones: Set<string>;
      k: number;
      n: number;
      stoppedAt: Record<string, number>;
    }
  >();
  for (const cell of cells) {
    if (cell.status === 'error' || cell.status === 'timedout') continue;
    for (const chain of cell.phones) {
      if (!phones.has(chain.phone)) continue;
      const key = `${chain.platform}\u0000${chain.app}`;
      const g = groups.get(key) ?? {
        platform: chain.platform,
        app: chain.app,
        phones: new Set(),
        k: 0,
        n: 0,
        stoppedAt: {} as Record<string, number>,
      };
      g.phones.add(chain.phone);
      g.n++;
      if (chain.notified) g.k++;
      else {
        const stop = chain.links.find((l) => l.status === 'failed' || l.status === 'expected-failure');
        const at = stop?.name ?? 'notify';
        g.stoppedAt[at] = (g.stoppedAt[at] ?? 0) + 1;
      }
      groups.set(key, g);
    }
  }
  const interval = INTERVALS[statistics.interval];
  return [...groups.values()]
    .sort((a, b) => a.platform.localeCompare(b.platform) || a.app.localeCompare(b.app))
    .map((g) => {
      const i = interval(g.k, g.n, DISPLAY_ALPHA);
      return {
        platform: g.platform,
        app: g.app,
        phones: [...g.phones].sort(),
        notified: g.k,
        trials: g.n,
        rate: g.n === 0 ? 0 : g.k / g.n,
        low: i.low,
        high: i.high,
        stoppedAt: g.stoppedAt,
      };
    });
}

/** A test over trials before the run's family is judged: its evidence and its exact p-value. */
export interface TrialTest {
  readonly kind: 'rate' | 'differential';
  readonly expectation: string;
  readonly interval: PlannedStatistics['interval'];
  readonly groups: readonly RateGroup[];
  readonly test: RateResult['test'];
  readonly pValue: number;
  /** Rate: its bound. Differential: the rate its detectable gap is measured from. */
  readonly bound?: RateBound;
  readonly baseline?: number;
  /** Differential with receivers missing on a platform: fails whatever the p-value. */
  readonly incomplete?: boolean;
}

/** The scenario's tests over its finished trials, with exact p-values (not yet judged). */
export function testTrials(statistics: PlannedStatistics, cells: readonly CellResult[]): TrialTest[] {
  const out: TrialTest[] = [];
  for (const r of statistics.rates) {
    const bound = parseRateBound(r.bound);
    if (!bound) throw new Error(`invalid rate bound "${r.bound}" (the loader validates it)`);
    for (const g of rateGroups(statistics, cells, new Set([r.phone])))
      out.push({
        kind: 'rate',
        expectation: `${r.phone} notified ${r.bound}`,
        interval: statistics.interval,
        groups: [g],
        test: 'exact-binomial',
        // No trial at all is no evidence that the rate holds: it fails.
        pValue: g.trials === 0 ? 0 : rateTestP(bound, g.notified, g.trials),
        bound,
      });
  }
  if (statistics.differential === 'platform') {
    const judged = statistics.rates.length > 0 ? statistics.rates.map((r) => r.phone) : undefined;
    const receivers = new Set(judged ?? cells.flatMap((c) => c.phones.map((p) => p.phone)));
    const groups = rateGroups(statistics, cells, receivers);
    const sum = (platform: string, f: (g: RateGroup) => number) =>
      groups.filter((g) => g.platform === platform).reduce((n, g) => n + f(g), 0);
    const [ka, na, ki, ni] = [
      sum('android', (g) => g.notified),
      sum('android', (g) => g.trials),
      sum('ios', (g) => g.notified),
      sum('ios', (g) => g.trials),
    ];
    out.push({
      kind: 'differential',
      expectation: 'android = ios',
      interval: statistics.interval,
      groups,
      test: 'fisher-exact',
      pValue: fisherExactTest(ka, na, ki, ni),
      baseline: differentialBaseline(statistics),
      ...(na === 0 || ni === 0 ? { incomplete: true } : {}),
    });
  }
  return out;
}

const num = (x: number) => (x < 0.001 ? x.toExponential(2) : x.toPrecision(3));

/** The smallest detectable gap at `level`, with 95 % power, for the test's trials. */
function detectable(t: TrialTest, level: number): number | null {
  if (t.kind === 'rate') {
    const g = t.groups[0];
    return g && g.trials > 0 ? detectableRateGap(t.bound as RateBound, g.trials, level) : null;
  }
  const n = (p: string) => t.groups.filter((g) => g.platform === p).reduce((s, g) => s + g.trials, 0);
  return t.incomplete ? null : detectableDifference(n('android'), n('ios'), t.baseline ?? 0.5, level);
}

function judged(t: TrialTest, adjustedP: number, level: number): RateResult {
  const passed = !t.incomplete && adjustedP > FAMILY_ALPHA;
  const gap = detectable(t, level);
  const conf = `95% ${t.interval}`;
  const p = `p = ${num(t.pValue)}, Holm-adjusted ${num(adjustedP)} ${passed ? '>' : '≤'} ${FAMILY_ALPHA}`;
  const pJa = `p = ${num(t.pValue)}、Holm 補正後 ${num(adjustedP)} ${passed ? '>' : '≤'} ${FAMILY_ALPHA}`;
  const side = t.bound && (t.bound.op === '<=' || t.bound.op === '<') ? 'above' : 'below';
  const sideJa = side === 'above' ? '上' : '下';
  const power =
    gap === null
      ? {
          en: 'too few trials to detect any gap with 95% power',
          ja: '試行が少なく、95% の検出力で検出できる差はない',
        }
      : t.kind === 'rate'
        ? {
            en: `detects a rate ${num(gap)} ${side} the bound with 95% power`,
            ja: `95% の検出力で境界より ${num(gap)} ${sideJa}の率を検出`,
          }
        : {
            en: `detects a difference of ${num(gap)} from ${num(t.baseline ?? 0.5)} with 95% power`,
            ja: `95% の検出力で ${num(t.baseline ?? 0.5)} からの差 ${num(gap)} を検出`,
          };
  let text: RateResult['text'];
  if (t.kind === 'rate') {
    const g = t.groups[0] as RateGroup;
    const phone = t.expectation.split(' ')[0];
    const bound = t.expectation.slice(t.expectation.indexOf('notified ') + 'notified '.length);
    text = {
      en: `${phone} (${g.platform}, ${g.app}) notified in ${g.notified}/${g.trials} trials = ${pct(g.rate)}, ${conf} interval [${pct(g.low)}, ${pct(g.high)}]; expected ${bound}: exact binomial ${p}: ${passed ? 'consistent' : 'contradicted'}; ${power.en}${stops(g)}`,
      ja: `${phone}（${g.platform}、${g.app}）の通知 ${g.notified}/${g.trials} 回 = ${pct(g.rate)}、${conf} 区間 [${pct(g.low)}, ${pct(g.high)}]；期待 ${bound}：正確二項検定 ${pJa} で${passed ? '矛盾なし' : '否定'}；${power.ja}`,
    };
  } else {
    const line = t.groups.map(describeGroup).join(' vs ');
    text = t.incomplete
      ? {
          en: `differential needs receivers on both platforms: ${line || 'none ran'}`,
          ja: `差の検定には両 OS の受信端末が必要: ${line || '実行なし'}`,
        }
      : {
          en: `android vs ios notification rates: ${line} (${conf}); Fisher's exact test ${p}: ${passed ? 'no difference shown' : 'the platforms differ'}; ${power.en}`,
          ja: `Android と iOS の通知率: ${line}（${conf}）；Fisher の正確検定 ${pJa}：${passed ? '差は示されない' : 'OS 間で差がある'}；${power.ja}`,
        };
  }
  return {
    kind: t.kind,
    expectation: t.expectation,
    interval: t.interval,
    alpha: DISPLAY_ALPHA,
    groups: t.groups,
    test: t.test,
    pValue: t.pValue,
    adjustedP,
    detectableGap: gap,
    passed,
    text,
  };
}

/**
 * Judges every scenario's tests together: Holm across all of them at FAMILY_ALPHA. Returns each
 * scenario's judged results in the same order, and the run's error-rate statement.
 */
export function judgeFamily(perScenario: readonly (readonly TrialTest[])[]): {
  rates: RateResult[][];
  errorRates: ErrorRates | undefined;
} {
  const all = perScenario.flat();
  if (all.length === 0) return { rates: perScenario.map(() => []), errorRates: undefined };
  const adjusted = holmAdjust(all.map((t) => t.pValue));
  // Detectable gaps at the strictest level Holm may hold a test to: what the run can promise.
  const level = FAMILY_ALPHA / all.length;
  let i = 0;
  const rates = perScenario.map((tests) => tests.map((t) => judged(t, adjusted[i++] as number, level)));
  const pctA = `${FAMILY_ALPHA * 100}%`;
  return {
    rates,
    errorRates: {
      familyAlpha: FAMILY_ALPHA,
      correction: 'holm',
      tests: all.length,
      text: {
        en: `${all.length} statistical test(s) (exact binomial and Fisher) held together with Holm's procedure at ${pctA}: a system that meets every rate expectation fails this run by chance in at most ${pctA} of runs.`,
        ja: `統計的な期待 ${all.length} 件（正確二項検定・Fisher の正確検定）を Holm 法でまとめて ${pctA} に抑えている：すべての率の期待を満たすシステムが偶然この実行に失敗するのは多くとも ${pctA} の実行。`,
      },
    },
  };
}

/** One scenario judged alone (a family of its own tests): for tests and single-scenario callers. */
export function judgeTrials(statistics: PlannedStatistics, cells: readonly CellResult[]): RateResult[] {
  return judgeFamily([testTrials(statistics, cells)]).rates[0] ?? [];
}

/** "platform\0app" of every group a failed rate or differential counts against (the lower-rate side). */
export function rateMisses(rates: readonly RateResult[]): Set<string> {
  const missed = new Set<string>();
  for (const r of rates) {
    if (r.passed) continue;
    const groups =
      r.kind === 'differential'
        ? r.groups.filter((g) => g.rate === Math.min(...r.groups.map((x) => x.rate)))
        : r.groups;
    for (const g of groups) missed.add(`${g.platform}\u0000${g.app}`);
  }
  return missed;
}

/**
 * A failed rate means the chain does not reliably reach that platform's users: the summary's
 * verdict for the group's platform and app (for a differential, the lower-rate side) turns false.
 */
export function applyRateVerdicts(summary: RunSummary, rates: readonly RateResult[]): RunSummary {
  const missed = rateMisses(rates);
  if (missed.size === 0) return summary;
  return {
    ...summary,
    verdict: summary.verdict.map((v) =>
      missed.has(`${v.platform}\u0000${v.app}`) ? { ...v, reaches: false, outcome: 'broken' as const } : v,
    ),
  };
}
