/**
 * The COCOA handlers' decisions as small functions over the framework's output (cocoa.md §4).
 * Which field is "HighestRiskScore" is the Xamarin layer's per-platform mapping (§4.1): Android
 * `summary.maximumRiskScore`, iOS `maximumRiskScoreFullRange`; items: Android `totalRiskScore`,
 * iOS `totalRiskScoreFullRange`.
 */
import {
  PLATFORM_RULES,
  type V1Configuration,
  type V1Detection,
  type V2Detection,
} from '../framework/index.js';
import type { Platform } from '../types.js';
import { assessRisk, riskText } from './risk-calculation.js';
import type { AppConfiguration, AppDecision } from './types.js';

interface Item {
  readonly score: number;
  readonly record: Readonly<Record<string, unknown>>;
}

function highestRiskScore(d: V1Detection): { value: number; field: string } {
  return d.platform === 'android'
    ? { value: d.summary.maximumRiskScore, field: 'Android maximumRiskScore' }
    : { value: d.summary.maximumRiskScoreFullRange, field: 'iOS maximumRiskScoreFullRange' };
}

function items(d: V1Detection): Item[] {
  if (d.platform === 'android') {
    return d.informations.map((i) => ({ score: i.totalRiskScore, record: { ...i } }));
  }
  return d.informations.map((i) => ({ score: i.totalRiskScoreFullRange, record: { ...i } }));
}

const levels = (d: V1Detection | V2Detection): number[] => [
  ...new Set(d.matchedKeys.map((k) => k.transmissionRiskLevel)),
];

/**
 * "TRL 0 → android transmission score 1; best possible 8×1×1×1 = 8": the platform's TRL factor
 * (framework PLATFORM_RULES) times the configuration's largest other scores — the ceiling any
 * contact with that key could reach, which is what makes the 1.1.4 Android defect visible. OS-side
 * knowledge (the matched keys): the phone adds it to the evidence, the app never sees the keys.
 */
export function trlText(d: V1Detection, c: V1Configuration): string {
  const ls = levels(d);
  if (ls.length === 0) return 'no matched key';
  const max = (xs: readonly number[]) => Math.max(...xs);
  return ls
    .map((l) => {
      const tr = PLATFORM_RULES[d.platform].transmissionFactor(l, c.transmissionRiskScores);
      const [a, days, dur] = [
        max(c.attenuationScores),
        max(c.daysSinceLastExposureScores),
        max(c.durationScores),
      ];
      return `TRL ${l} → ${d.platform} transmission score ${tr}; best possible ${a}×${days}×${dur}×${tr} = ${a * days * dur * tr}`;
    })
    .join('; ');
}

export interface V1Policy {
  /** 1.1.4+: read ExposureInformation only when HighestRiskScore ≥ MinimumRiskScore. */
  readonly summaryGate: boolean;
  /** 1.2.2+: keep an item only when its TotalRiskScore ≥ MinimumRiskScore. */
  readonly perItemFilter: boolean;
  /**
   * Whose v1 section holds the MinimumRiskScore the handler compares with. Default: the detecting
   * platform's own (1.x gives both platforms the same Xamarin configuration). 2.x: 'android', i.e.
   * google_exposure_config on both platforms (cocoa.ts).
   */
  readonly minimumFrom?: Platform;
}

/** EN v1 handler (1.1.3 / 1.1.4 / 1.2.2, and 2.x's legacy-v1 path with both rules on). */
export function decideV1(d: V1Detection, config: AppConfiguration, policy: V1Policy): AppDecision {
  const min = config.v1[policy.minimumFrom ?? d.platform].minimumRiskScore;
  const high = highestRiskScore(d);
  const all = items(d);
  const gatePassed = !policy.summaryGate || high.value >= min;
  const stored = gatePassed ? all.filter((i) => !policy.perItemFilter || i.score >= min) : [];
  const itemScores = all.map((i) => i.score).join(',') || 'none';
  const gateText = policy.summaryGate
    ? `${high.field} ${high.value} ${high.value >= min ? '≥' : '<'} ${min}`
    : `no summary gate (${high.field} ${high.value})`;
  // The matched keys and their TRL ceiling are the OS's to tell (phone.ts); the app reads only the API.
  const explanation =
    `${gateText}; item scores [${itemScores}]` +
    `${policy.perItemFilter ? ` filtered ≥ ${min}` : ''} → ${stored.length} stored`;
  return {
    mode: 'v1',
    value: high.value,
    threshold: min,
    passed: gatePassed && stored.length > 0,
    explanation,
    stored: stored.map((i) => i.record),
  };
}

/**
 * EN v2 handler (2.x, cocoa.md §4.2): each daily summary of the last 15 days, with the exposure
 * windows of the same date, gets COCOA's risk level from risk_calculation_configuration.json
 * (risk-calculation.ts); any High day notifies.
 */
export function decideV2(d: V2Detection, config: AppConfiguration, nowEpochSeconds: number): AppDecision {
  const v2 = config.v2;
  if (!v2) throw new Error('EN v2 decision needs a v2 configuration');
  const since = (nowEpochSeconds - 15 * 86_400) * 1000;
  const days = d.dailySummaries
    .filter((s) => s.dateMillisSinceEpoch >= since)
    .map((s) => {
      const scans = d.exposureWindows
        .filter((w) => w.dateMillisSinceEpoch === s.dateMillisSinceEpoch)
        .flatMap((w) => w.scanInstances);
      const risk = assessRisk(s.daySummary, scans, v2.riskCalculation);
      return {
        date: new Date(s.dateMillisSinceEpoch).toISOString().slice(0, 10),
        scoreSum: s.daySummary.scoreSum,
        seconds: risk.values.secondsSinceLastScanSum,
        high: risk.level === 'High',
        text: riskText(risk),
      };
    });
  const best = days.reduce<(typeof days)[number] | null>(
    (b, x) => (b === null || x.scoreSum > b.scoreSum ? x : b),
    null,
  );
  const highDays = days.filter((x) => x.high);
  const explanation = best
    ? `best day ${best.date}: ${best.text} → ${highDays.length} high-risk day(s)`
    : 'no daily summary → no high-risk day';
  const scoreSum = v2.riskCalculation.scoreSum;
  return {
    mode: 'v2',
    value: best?.scoreSum ?? 0,
    threshold: scoreSum.op === 'NOP' ? 0 : scoreSum.value,
    passed: highDays.length > 0,
    explanation,
    stored: highDays.map(({ text: _text, ...day }) => day),
  };
}
