/**
 * EN v2 (ExposureWindow mode): windows, ScanInstances, DiagnosisKeysDataMapping and daily summaries
 * (gaen.md §5; KeyExposureEvaluator.findExposureWindows, DailySummaryUtils).
 */
import { ReportType } from '../../protocol/tek.js';
import { convertV2Configuration } from './convert.js';
import { FrameworkError } from './errors.js';
import { PLATFORM_RULES } from './platform.js';
import {
  type DailySummary,
  type DiagnosisKeysDataMapping,
  type DownloadReport,
  type ExposureSummaryData,
  type ExposureWindow,
  type FrameworkPlatform,
  Infectiousness,
  type MatchedKey,
  type MatchedSighting,
  type ScanInstance,
  type V2Configuration,
  type V2Detection,
} from './types.js';

const DAY_SECONDS = 86_400;
/** A new window starts when t − windowStart ≥ 30 min (fixed in the code; javadoc says random 15–30) [U]. */
export const WINDOW_SECONDS = 1800;
/** Sightings ≤ 25.5 s after the previous one belong to the same ScanInstance. */
export const SCAN_INSTANCE_GAP_SECONDS = 25.5;
/** secondsSinceLastScan when the previous scan time is unknown. */
const UNKNOWN_PREVIOUS_SCAN_SECONDS = 120;
const MAX_DAYS_SINCE_ONSET = 14;

/** Report types that count in daily summaries (DailySummaryUtils). */
const SUMMARISED_REPORT_TYPES: readonly number[] = [
  ReportType.CONFIRMED_TEST,
  ReportType.CONFIRMED_CLINICAL_DIAGNOSIS,
  ReportType.SELF_REPORT,
  ReportType.RECURSIVE,
];

function secondsSinceLastScan(t: number, previousScan: number): number {
  if (previousScan <= 0) return UNKNOWN_PREVIOUS_SCAN_SECONDS;
  const minutes = Math.floor(t / 60) - Math.floor(previousScan / 60);
  return 60 * Math.max(0, Math.min(5, minutes));
}

/** Groups a window's sightings into ScanInstances: typical = rounded mean, min, secondsSinceLastScan. */
export function scanInstances(sightings: readonly MatchedSighting[]): ScanInstance[] {
  const groups: MatchedSighting[][] = [];
  for (const s of sightings) {
    const g = groups[groups.length - 1];
    if (g && s.epochSeconds - g[g.length - 1].epochSeconds <= SCAN_INSTANCE_GAP_SECONDS) g.push(s);
    else groups.push([s]);
  }
  return groups.map((g) => {
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    for (const s of g) {
      sum += s.attenuation;
      if (s.attenuation < min) min = s.attenuation;
    }
    return {
      typicalAttenuationDb: Math.round(sum / g.length),
      minAttenuationDb: min,
      secondsSinceLastScan: secondsSinceLastScan(g[0].epochSeconds, g[0].previousScanEpochSeconds),
    };
  });
}

/** Cuts one key's (uncollapsed) sightings into windows of at most 30 min. */
export function cutWindows(sightings: readonly MatchedSighting[]): MatchedSighting[][] {
  const windows: MatchedSighting[][] = [];
  let start = Number.NEGATIVE_INFINITY;
  for (const s of sightings) {
    if (s.epochSeconds - start >= WINDOW_SECONDS) {
      windows.push([s]);
      start = s.epochSeconds;
    } else windows[windows.length - 1].push(s);
  }
  return windows;
}

function validateMapping(platform: FrameworkPlatform, mapping: DiagnosisKeysDataMapping): void {
  if (
    !PLATFORM_RULES[platform].allowsUnknownReportTypeWhenMissing &&
    mapping.reportTypeWhenMissing === ReportType.UNKNOWN
  ) {
    throw new FrameworkError(
      'EN_MAPPING_INVALID',
      'DiagnosisKeysDataMapping.reportTypeWhenMissing must be set and not UNKNOWN (Android)',
      'reportTypeWhenMissing',
    );
  }
}

/** Report type after the mapping: 0 or an invalid value becomes reportTypeWhenMissing (gaen.md §5). */
export function mappedReportType(reportType: number, mapping: DiagnosisKeysDataMapping): number {
  return reportType >= ReportType.CONFIRMED_TEST && reportType <= ReportType.REVOKED
    ? reportType
    : mapping.reportTypeWhenMissing;
}

/** |dso| > 14 or missing → infectiousnessWhenDaysSinceOnsetMissing; unspecified days → NONE. */
export function mappedInfectiousness(
  dso: number | undefined,
  mapping: DiagnosisKeysDataMapping,
): Infectiousness {
  if (dso === undefined || Math.abs(dso) > MAX_DAYS_SINCE_ONSET)
    return mapping.infectiousnessWhenDaysSinceOnsetMissing;
  return mapping.daysSinceOnsetToInfectiousness[dso] ?? Infectiousness.NONE;
}

/** Builds the ExposureWindows of matched keys (before the shuffle). */
export function exposureWindows(
  platform: FrameworkPlatform,
  matched: readonly MatchedKey[],
  mapping: DiagnosisKeysDataMapping,
): ExposureWindow[] {
  validateMapping(platform, mapping);
  const rules = PLATFORM_RULES[platform];
  const out: ExposureWindow[] = [];
  for (const key of matched) {
    const reportType = mappedReportType(key.reportType, mapping);
    // iOS: reportTypeNoneMap UNKNOWN → keys without a report type are ignored.
    if (reportType === ReportType.UNKNOWN) continue;
    const infectiousness = mappedInfectiousness(key.daysSinceOnsetOfSymptoms, mapping);
    // iOS ignores keys mapped to NONE; Android keeps them with weight[NONE] (default 0) (gaen.md §5).
    if (rules.ignoresInfectiousnessNone && infectiousness === Infectiousness.NONE) continue;
    for (const w of cutWindows(key.sightings)) {
      out.push({
        dateMillisSinceEpoch: Math.floor(w[0].epochSeconds / DAY_SECONDS) * DAY_SECONDS * 1000,
        reportType,
        infectiousness,
        calibrationConfidence: w[0].calibrationConfidence,
        scanInstances: scanInstances(w),
      });
    }
  }
  out.sort((a, b) => a.dateMillisSinceEpoch - b.dateMillisSinceEpoch);
  return out;
}

interface Weights {
  readonly reportType: (rt: number) => number;
  readonly infectiousness: (i: number) => number;
  readonly thresholds: readonly number[];
  readonly bucketWeights: readonly number[];
  readonly daysThreshold: number;
  readonly minimumWindowScore: number;
}

function checkRange(field: string, values: readonly (number | undefined)[], max: number): void {
  for (const v of values) {
    if (v !== undefined && !(v >= 0 && v <= max)) {
      throw new FrameworkError('EN_CONFIGURATION_INVALID', `${field}: ${v} is outside 0..${max}`, field);
    }
  }
}

function checkThresholds(field: string, t: readonly number[]): void {
  if (t.length !== 3 || !t.every((v, i) => v >= 0 && v <= 255 && (i === 0 || v > t[i - 1]))) {
    throw new FrameworkError(
      'EN_CONFIGURATION_INVALID',
      `${field}: expected 3 strictly increasing values in 0..255, got [${t.join(', ')}]`,
      field,
    );
  }
}

/** Weights as multipliers (1.0 = 100 %), each platform reading its own shape with its own defaults. */
function weightsOf(platform: FrameworkPlatform, configuration: V2Configuration): Weights {
  const c = convertV2Configuration(platform, configuration);
  if (c.kind === 'android-daily-summaries') {
    checkRange('reportTypeWeights', Object.values(c.reportTypeWeights), 2.5);
    checkRange('infectiousnessWeights', Object.values(c.infectiousnessWeights), 2.5);
    checkRange('attenuationBucketWeights', c.attenuationBucketWeights, 2.5);
    checkThresholds('attenuationBucketThresholdDb', c.attenuationBucketThresholdDb);
    // Android: unset weights are 0.0.
    return {
      reportType: (rt) => c.reportTypeWeights[rt] ?? 0,
      infectiousness: (i) => c.infectiousnessWeights[i] ?? 0,
      thresholds: c.attenuationBucketThresholdDb,
      bucketWeights: [0, 1, 2, 3].map((i) => c.attenuationBucketWeights[i] ?? 0),
      daysThreshold: c.daysSinceExposureThreshold,
      minimumWindowScore: c.minimumWindowScore,
    };
  }
  const percents = [
    c.immediateDurationWeight,
    c.nearDurationWeight,
    c.mediumDurationWeight,
    c.otherDurationWeight,
    c.infectiousnessStandardWeight,
    c.infectiousnessHighWeight,
    c.reportTypeConfirmedTestWeight,
    c.reportTypeConfirmedClinicalDiagnosisWeight,
    c.reportTypeSelfReportedWeight,
    c.reportTypeRecursiveWeight,
  ];
  checkRange('ENExposureConfiguration weights (percent)', percents, 250);
  const thresholds = c.attenuationDurationThresholds ?? [50, 70, 90];
  checkThresholds('attenuationDurationThresholds', thresholds);
  // iOS: unset weights are 100 % (ENRiskWeightDefaultV2).
  const p = (v: number | undefined): number => (v ?? 100) / 100;
  const rt: Record<number, number> = {
    [ReportType.CONFIRMED_TEST]: p(c.reportTypeConfirmedTestWeight),
    [ReportType.CONFIRMED_CLINICAL_DIAGNOSIS]: p(c.reportTypeConfirmedClinicalDiagnosisWeight),
    [ReportType.SELF_REPORT]: p(c.reportTypeSelfReportedWeight),
    [ReportType.RECURSIVE]: p(c.reportTypeRecursiveWeight),
  };
  const inf: Record<number, number> = {
    [Infectiousness.STANDARD]: p(c.infectiousnessStandardWeight),
    [Infectiousness.HIGH]: p(c.infectiousnessHighWeight),
  };
  return {
    reportType: (r) => rt[r] ?? 0,
    infectiousness: (i) => inf[i] ?? 0,
    thresholds,
    bucketWeights: [
      p(c.immediateDurationWeight),
      p(c.nearDurationWeight),
      p(c.mediumDurationWeight),
      p(c.otherDurationWeight),
    ],
    daysThreshold: c.daysSinceLastExposureThreshold ?? 0,
    minimumWindowScore: c.minimumRiskScoreFullRange ?? 0,
  };
}

/** IMMEDIATE ≤ T0 < NEAR ≤ T1 < MEDIUM ≤ T2 < OTHER. */
function attenuationBucket(typical: number, t: readonly number[]): number {
  return typical <= t[0] ? 0 : typical <= t[1] ? 1 : typical <= t[2] ? 2 : 3;
}

export interface WindowScore {
  readonly weightedDurationSeconds: number;
  readonly score: number;
}

export function windowScore(w: ExposureWindow, weights: Weights): WindowScore {
  let weighted = 0;
  for (const s of w.scanInstances) {
    weighted +=
      s.secondsSinceLastScan *
      weights.bucketWeights[attenuationBucket(s.typicalAttenuationDb, weights.thresholds)];
  }
  return {
    weightedDurationSeconds: weighted,
    score: weighted * weights.reportType(w.reportType) * weights.infectiousness(w.infectiousness),
  };
}

/** iOS returns seconds rounded to the nearest minute (gaen.md §5); applied to the summary items [U]. */
const roundToMinute = (x: number): number => Math.round(x / 60) * 60;

/** Daily summaries: per UTC day, overall and per report type, after the report-type, days and minimum-score filters. */
export function dailySummaries(
  platform: FrameworkPlatform,
  windows: readonly ExposureWindow[],
  configuration: V2Configuration,
  nowEpochSeconds: number,
): DailySummary[] {
  const weights = weightsOf(platform, configuration);
  const today = Math.floor(nowEpochSeconds / DAY_SECONDS);
  type Acc = { max: number; sum: number; weighted: number };
  const days = new Map<number, { all: Acc; byType: Map<number, Acc> }>();
  const add = (acc: Acc, ws: WindowScore): void => {
    acc.max = Math.max(acc.max, ws.score);
    acc.sum += ws.score;
    acc.weighted += ws.weightedDurationSeconds;
  };
  for (const w of windows) {
    if (!SUMMARISED_REPORT_TYPES.includes(w.reportType)) continue;
    const day = Math.floor(w.dateMillisSinceEpoch / 1000 / DAY_SECONDS);
    if (weights.daysThreshold > 0 && today - day > weights.daysThreshold) continue;
    const ws = windowScore(w, weights);
    if (ws.score < weights.minimumWindowScore) continue;
    let entry = days.get(day);
    if (!entry) {
      entry = { all: { max: 0, sum: 0, weighted: 0 }, byType: new Map() };
      days.set(day, entry);
    }
    add(entry.all, ws);
    let t = entry.byType.get(w.reportType);
    if (!t) {
      t = { max: 0, sum: 0, weighted: 0 };
      entry.byType.set(w.reportType, t);
    }
    add(t, ws);
  }
  const round = PLATFORM_RULES[platform].roundsV2ToMinute ? roundToMinute : (x: number) => x;
  const data = (a: Acc): ExposureSummaryData => ({
    maximumScore: round(a.max),
    scoreSum: round(a.sum),
    weightedDurationSum: round(a.weighted),
  });
  return [...days.entries()]
    .sort(([a], [b]) => a - b)
    .map(([day, entry]) => ({
      daysSinceEpoch: day,
      dateMillisSinceEpoch: day * DAY_SECONDS * 1000,
      daySummary: data(entry.all),
      summaryByReportType: Object.fromEntries([...entry.byType].map(([rt, a]) => [rt, data(a)])),
    }));
}

/** Fisher–Yates with the phone's seeded random bytes (Android shuffles windows with SecureRandom). */
export function shuffle<T>(items: readonly T[], random: (n: number) => Uint8Array): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const b = random(4);
    const r = ((b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0) % (i + 1);
    [out[i], out[r]] = [out[r], out[i]];
  }
  return out;
}

/** The v2 result for a platform from already-matched keys. */
export function scoreV2(
  platform: FrameworkPlatform,
  matched: readonly MatchedKey[],
  mapping: DiagnosisKeysDataMapping,
  configuration: V2Configuration,
  nowEpochSeconds: number,
  download: DownloadReport,
  random: (n: number) => Uint8Array,
): V2Detection {
  const windows = exposureWindows(platform, matched, mapping);
  return {
    kind: 'v2',
    platform,
    download,
    matchedKeyCount: matched.length,
    matchedKeys: matched,
    exposureWindows: shuffle(windows, random),
    dailySummaries: dailySummaries(platform, windows, configuration, nowEpochSeconds),
  };
}
