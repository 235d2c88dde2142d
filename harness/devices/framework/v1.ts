/**
 * EN v1 risk scoring (gaen.md §4; cocoa.md §4.1): scan collapsing, exposure building
 * (KeyExposureEvaluator.findExposures), buckets and score (RiskScoreCalculator), then the
 * platform's own summary and per-exposure records.
 */
import { EN_INTERVAL_SECONDS } from '../../protocol/interval.js';
import { PLATFORM_RULES, type PlatformRules } from './platform.js';
import type {
  AndroidExposureInformation,
  AndroidV1Detection,
  DownloadReport,
  FrameworkPlatform,
  IosExposureInfo,
  IosV1Detection,
  MatchedKey,
  MatchedSighting,
  V1Configuration,
  V1Detection,
} from './types.js';

const DAY_SECONDS = 86_400;
/** A new scan starts after a gap > 1.5 × (4 + 13) s (gaen.md §3 step 6). */
export const SCAN_GAP_SECONDS = 25.5;
/** maxInterpolationDuration: a larger gap starts a new exposure record. */
export const MAX_INTERPOLATION_SECONDS = 600;
/** Durations are estimated in 5-minute steps; each run is padded by half a step on each side. */
const STEP_SECONDS = 300;
const PAD_SECONDS = 150;
/** "aggregated … capped at 30 minutes" (both platforms' attenuation durations, ExposureInfo duration). */
const MAX_REPORTED_SECONDS = 1800;

/** Bucket bounds from ContactTracingFeature (gaen.md §4 "Buckets"). */
const ATTENUATION_BOUNDS = [73, 63, 51, 33, 27, 15, 10];
const DAYS_BOUNDS = [14, 12, 10, 8, 6, 4, 2];
const DURATION_BOUNDS_MIN = [0, 5, 10, 15, 20, 25, 30];

export function attenuationBucket(att: number): number {
  const i = ATTENUATION_BOUNDS.findIndex((b) => att > b);
  return i === -1 ? 7 : i;
}
export function daysBucket(days: number): number {
  const i = DAYS_BOUNDS.findIndex((b) => days >= b);
  return i === -1 ? 7 : i;
}
export function durationBucket(durationSeconds: number): number {
  const minutes = Math.floor(durationSeconds / 60);
  const i = DURATION_BOUNDS_MIN.findIndex((b) => minutes <= b);
  return i === -1 ? 7 : i;
}

/** Days from the key's start (not the sighting) to now; the days bucket uses it (gaen.md §4). */
export function daysSinceKey(rollingStartIntervalNumber: number, nowEpochSeconds: number): number {
  return Math.max(
    0,
    Math.floor((nowEpochSeconds - rollingStartIntervalNumber * EN_INTERVAL_SECONDS) / DAY_SECONDS),
  );
}

export interface ScanPoint {
  readonly epochSeconds: number;
  readonly attenuation: number;
}

/** Collapses a key's sightings to one point per scan, the strongest (lowest attenuation). */
export function collapseScans(sightings: readonly MatchedSighting[]): ScanPoint[] {
  const out: ScanPoint[] = [];
  let prevT = Number.NEGATIVE_INFINITY;
  for (const s of sightings) {
    const last = out[out.length - 1];
    if (last && s.epochSeconds - prevT <= SCAN_GAP_SECONDS) {
      // Strongest per scan; the scan keeps the time of its strongest sighting [U].
      if (s.attenuation < last.attenuation)
        out[out.length - 1] = { epochSeconds: s.epochSeconds, attenuation: s.attenuation };
    } else {
      out.push({ epochSeconds: s.epochSeconds, attenuation: s.attenuation });
    }
    prevT = s.epochSeconds;
  }
  return out;
}

export interface Exposure {
  readonly firstEpochSeconds: number;
  readonly lastEpochSeconds: number;
  /** Rounded to a multiple of 300 s, uncapped. */
  readonly durationSeconds: number;
  /** Math.round of the time-weighted attenuation. */
  readonly attenuationValue: number;
  /** Seconds in the three attenuation buckets of the platform. */
  readonly attenuationSeconds: readonly [number, number, number];
}

/** Rounds (last − first) + 300 to a multiple of 300: remainder ≤ 150 down, else up; at least 1 s. */
export function roundedDurationSeconds(firstT: number, lastT: number): number {
  const est = lastT - firstT + STEP_SECONDS;
  const mod = est % STEP_SECONDS;
  const rounded = mod <= PAD_SECONDS ? est - mod : est - mod + STEP_SECONDS;
  return Math.max(1, rounded);
}

/**
 * Splits scan points at gaps > 600 s; per run: rounded duration, weighted attenuation over segments
 * padded ±150 s (each segment weighted by its left point), attenuation durations on the same segments.
 */
export function buildExposures(
  points: readonly ScanPoint[],
  thresholds: readonly number[],
  bucketOf: PlatformRules['durationBucket'],
): Exposure[] {
  const [t0 = 50, t1 = 74] = thresholds;
  const runs: ScanPoint[][] = [];
  for (const p of points) {
    const run = runs[runs.length - 1];
    if (run && p.epochSeconds - run[run.length - 1].epochSeconds <= MAX_INTERPOLATION_SECONDS) run.push(p);
    else runs.push([p]);
  }
  return runs.map((run) => {
    const first = run[0];
    const last = run[run.length - 1];
    const padded: ScanPoint[] = [
      { epochSeconds: first.epochSeconds - PAD_SECONDS, attenuation: first.attenuation },
      ...run,
      { epochSeconds: last.epochSeconds + PAD_SECONDS, attenuation: last.attenuation },
    ];
    let weighted = 0;
    let total = 0;
    const seconds: [number, number, number] = [0, 0, 0];
    for (let i = 0; i + 1 < padded.length; i++) {
      const len = padded[i + 1].epochSeconds - padded[i].epochSeconds;
      const att = padded[i].attenuation;
      weighted += att * len;
      total += len;
      seconds[bucketOf(att, t0, t1)] += len;
    }
    return {
      firstEpochSeconds: first.epochSeconds,
      lastEpochSeconds: last.epochSeconds,
      durationSeconds: roundedDurationSeconds(first.epochSeconds, last.epochSeconds),
      attenuationValue: Math.round(weighted / total),
      attenuationSeconds: seconds,
    };
  });
}

interface ScoredExposure {
  readonly key: MatchedKey;
  readonly exposure: Exposure;
  readonly days: number;
  /** att × days × dur × transmission, uncapped. */
  readonly score: number;
  readonly belowMinimum: boolean;
}

function scoreExposures(
  matched: readonly MatchedKey[],
  config: V1Configuration,
  rules: PlatformRules,
  nowEpochSeconds: number,
): ScoredExposure[] {
  const out: ScoredExposure[] = [];
  for (const key of matched) {
    const days = daysSinceKey(key.rollingStartIntervalNumber, nowEpochSeconds);
    const exposures = buildExposures(
      collapseScans(key.sightings),
      config.durationAtAttenuationThresholds,
      rules.durationBucket,
    );
    for (const exposure of exposures) {
      // Weights are "reserved for future use" and not applied (gaen.md §4).
      const score =
        (config.attenuationScores[attenuationBucket(exposure.attenuationValue)] ?? 0) *
        (config.daysSinceLastExposureScores[daysBucket(days)] ?? 0) *
        // The duration bucket uses the uncapped duration: durationScores[7] (>30 min) is reachable.
        (config.durationScores[durationBucket(exposure.durationSeconds)] ?? 0) *
        rules.transmissionFactor(key.transmissionRiskLevel, config.transmissionRiskScores);
      const capped = Math.min(score, rules.scoreCap);
      const belowMinimum =
        capped < config.minimumRiskScore ||
        (rules.platform === 'ios' &&
          config.minimumRiskScoreFullRange !== undefined &&
          score < config.minimumRiskScoreFullRange);
      out.push({ key, exposure, days, score, belowMinimum });
    }
  }
  out.sort((a, b) => a.exposure.firstEpochSeconds - b.exposure.firstEpochSeconds);
  return out;
}

function addInto(totals: number[], values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) totals[i] += values[i];
}

const toMinutes = (seconds: number): number => Math.min(30, Math.floor(seconds / 60));
const capSeconds = (seconds: number): number => Math.min(MAX_REPORTED_SECONDS, seconds);

/**
 * The v1 summary and per-exposure records for a platform from already-matched keys.
 * Android zeroes below-minimum scores and still returns them; iOS drops them (gaen.md §4 item 2).
 */
export function scoreV1(
  platform: FrameworkPlatform,
  matched: readonly MatchedKey[],
  config: V1Configuration,
  nowEpochSeconds: number,
  download: DownloadReport,
): V1Detection {
  const rules = PLATFORM_RULES[platform];
  const scored = scoreExposures(matched, config, rules, nowEpochSeconds);
  const daysSinceLastExposure = scored.length === 0 ? 0 : Math.min(...scored.map((s) => s.days));
  const base = { kind: 'v1' as const, download, matchedKeyCount: matched.length, matchedKeys: matched };
  if (rules.belowMinimum === 'zero') {
    const informations: AndroidExposureInformation[] = scored.map((s) => ({
      dateMillisSinceEpoch: s.key.rollingStartIntervalNumber * EN_INTERVAL_SECONDS * 1000,
      durationMinutes: Math.min(30, s.exposure.durationSeconds / 60),
      attenuationValue: s.exposure.attenuationValue,
      transmissionRiskLevel: s.key.transmissionRiskLevel,
      totalRiskScore: s.belowMinimum ? 0 : Math.min(s.score, rules.scoreCap),
      attenuationDurationsInMinutes: s.exposure.attenuationSeconds.map(toMinutes),
    }));
    const totals = [0, 0, 0];
    for (const s of scored) addInto(totals, s.exposure.attenuationSeconds);
    const result: AndroidV1Detection = {
      ...base,
      platform: 'android',
      summary: {
        matchedKeyCount: matched.length,
        daysSinceLastExposure,
        maximumRiskScore: Math.max(0, ...informations.map((i) => i.totalRiskScore)),
        summationRiskScore: informations.reduce((sum, i) => sum + i.totalRiskScore, 0),
        // "aggregated across all exposures and capped at 30 minutes", per bucket [U].
        attenuationDurationsInMinutes: totals.map(toMinutes),
      },
      informations,
    };
    return result;
  }
  const kept = scored.filter((s) => !s.belowMinimum);
  const informations: IosExposureInfo[] = kept.map((s) => ({
    dateMillisSinceEpoch: s.key.rollingStartIntervalNumber * EN_INTERVAL_SECONDS * 1000,
    // "seconds rounded up to the next minute, capped at 1800 s" (gaen.md §4 item 5).
    duration: capSeconds(Math.ceil(s.exposure.durationSeconds / 60) * 60),
    attenuationValue: s.exposure.attenuationValue,
    transmissionRiskLevel: s.key.transmissionRiskLevel,
    totalRiskScore: Math.min(s.score, rules.scoreCap),
    totalRiskScoreFullRange: s.score,
    attenuationDurations: s.exposure.attenuationSeconds.map(capSeconds),
  }));
  const totals = [0, 0, 0];
  for (const s of kept) addInto(totals, s.exposure.attenuationSeconds);
  const maxFull = Math.max(0, ...kept.map((s) => s.score));
  const result: IosV1Detection = {
    ...base,
    platform: 'ios',
    summary: {
      matchedKeyCount: matched.length,
      daysSinceLastExposure,
      maximumRiskScore: Math.min(maxFull, rules.scoreCap),
      maximumRiskScoreFullRange: maxFull,
      riskScoreSumFullRange: kept.reduce((sum, s) => sum + s.score, 0),
      attenuationDurations: totals.map(capSeconds),
    },
    informations,
  };
  return result;
}
