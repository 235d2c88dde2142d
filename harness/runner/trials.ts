/**
 * Judging a scenario over its trials: each rate expectation per receiving platform and app, and the
 * platform differential (are Android and iOS receivers of the same contacts notified at rates a
 * two-proportion test cannot tell apart?). Trials that errored count in neither numerator nor
 * denominator: they already fail the run as errors.
 */
import type { PlannedStatistics } from '../scenario/plan.js';
import type { CellResult, RateGroup, RateResult, RunSummary } from './results.js';
import { INTERVALS, parseRateBound, rateHolds, twoProportionTest } from './statistics.js';

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
      const i = interval(g.k, g.n, statistics.alpha);
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

export function judgeTrials(statistics: PlannedStatistics, cells: readonly CellResult[]): RateResult[] {
  const method = { interval: statistics.interval, alpha: statistics.alpha };
  const conf = `${pct(1 - statistics.alpha)} ${statistics.interval}`;
  const out: RateResult[] = [];
  for (const r of statistics.rates) {
    const bound = parseRateBound(r.bound);
    if (!bound) throw new Error(`invalid rate bound "${r.bound}" (the loader validates it)`);
    for (const g of rateGroups(statistics, cells, new Set([r.phone]))) {
      const passed = rateHolds(bound, { low: g.low, high: g.high }, g.trials);
      out.push({
        kind: 'rate',
        expectation: `${r.phone} notified ${r.bound}`,
        ...method,
        groups: [g],
        passed,
        text: {
          en: `${r.phone} (${g.platform}, ${g.app}) notified in ${g.notified}/${g.trials} trials = ${pct(g.rate)}, ${conf} interval [${pct(g.low)}, ${pct(g.high)}]; expected ${r.bound}: ${passed ? 'consistent' : 'contradicted'} at α = ${statistics.alpha}${stops(g)}`,
          ja: `${r.phone}（${g.platform}、${g.app}）の通知 ${g.notified}/${g.trials} 回 = ${pct(g.rate)}、${conf} 区間 [${pct(g.low)}, ${pct(g.high)}]；期待 ${r.bound}：α = ${statistics.alpha} で${passed ? '矛盾なし' : '否定'}`,
        },
      });
    }
  }
  if (statistics.differential === 'platform') {
    const judged = statistics.rates.length > 0 ? statistics.rates.map((r) => r.phone) : undefined;
    const receivers = new Set(judged ?? cells.flatMap((c) => c.phones.map((p) => p.phone)));
    const groups = rateGroups(statistics, cells, receivers);
    const android = groups.filter((g) => g.platform === 'android');
    const ios = groups.filter((g) => g.platform === 'ios');
    const sum = (gs: RateGroup[], f: (g: RateGroup) => number) => gs.reduce((n, g) => n + f(g), 0);
    const [ka, na, ki, ni] = [
      sum(android, (g) => g.notified),
      sum(android, (g) => g.trials),
      sum(ios, (g) => g.notified),
      sum(ios, (g) => g.trials),
    ];
    const test = twoProportionTest(ka, na, ki, ni);
    const passed = na > 0 && ni > 0 && test.pValue >= statistics.alpha;
    const line = groups.map(describeGroup).join(' vs ');
    out.push({
      kind: 'differential',
      expectation: 'android = ios',
      ...method,
      groups,
      pValue: test.pValue,
      passed,
      text: {
        en:
          na === 0 || ni === 0
            ? `differential needs receivers on both platforms: ${line || 'none ran'}`
            : `android vs ios notification rates: ${line} (${conf}); two-proportion z = ${test.z.toFixed(2)}, p = ${test.pValue.toPrecision(3)} ${passed ? '>=' : '<'} α = ${statistics.alpha}: ${passed ? 'no difference shown' : 'the platforms differ'}`,
        ja:
          na === 0 || ni === 0
            ? `差の検定には両 OS の受信端末が必要: ${line || '実行なし'}`
            : `Android と iOS の通知率: ${line}（${conf}）；二標本比率検定 z = ${test.z.toFixed(2)}、p = ${test.pValue.toPrecision(3)} ${passed ? '≥' : '<'} α = ${statistics.alpha}：${passed ? '差は示されない' : 'OS 間で差がある'}`,
      },
    });
  }
  return out;
}

/**
 * A failed rate means the chain does not reliably reach that platform's users: the summary's
 * verdict for the group's platform and app (for a differential, the lower-rate side) turns false.
 */
export function applyRateVerdicts(summary: RunSummary, rates: readonly RateResult[]): RunSummary {
  const missed = new Set<string>();
  for (const r of rates) {
    if (r.passed) continue;
    const groups =
      r.kind === 'differential'
        ? r.groups.filter((g) => g.rate === Math.min(...r.groups.map((x) => x.rate)))
        : r.groups;
    for (const g of groups) missed.add(`${g.platform}\u0000${g.app}`);
  }
  if (missed.size === 0) return summary;
  return {
    ...summary,
    verdict: summary.verdict.map((v) =>
      missed.has(`${v.platform}\u0000${v.app}`) ? { ...v, reaches: false, outcome: 'broken' as const } : v,
    ),
  };
}
