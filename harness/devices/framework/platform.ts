/**
 * Every documented Android vs iOS difference as data or a small function, chosen by `platform`
 * (gaen.md §4 "Known Android vs iOS differences in v1" items 1–5 and 7; §5 "v2 differences to model").
 * Nothing here or elsewhere branches on an app or OS version name.
 */
import type { FrameworkPlatform } from './types.js';

export interface PlatformRules {
  readonly platform: FrameworkPlatform;
  /** v1 item 1: per-incident and maximum score cap (Android 4096; iOS uint8 ENRiskScoreMax 255). */
  readonly scoreCap: number;
  /**
   * v1 item 3: transmission-risk factor for a key's level.
   * Android RiskScoreCalculator: level 1..8 → scores[level−1]; 0 (RISK_LEVEL_INVALID) → 1, config ignored.
   * iOS: transmissionRiskLevelValues[level], ENRiskLevel 0..7; level 8 has no slot (factor 0) [U].
   */
  readonly transmissionFactor: (level: number, scores: readonly number[]) => number;
  /**
   * v1 item 2: what minimumRiskScore does to an incident below it.
   * 'zero': Android keeps the ExposureInformation, score 0, other fields unaffected.
   * 'drop': iOS removes the incident from infos, sums and attenuationDurations (still counted in
   * matchedKeyCount and daysSinceLastExposure).
   */
  readonly belowMinimum: 'zero' | 'drop';
  /**
   * v1 item 4: attenuation-duration bucket of an attenuation against [t0, t1].
   * Android: <t0, [t0,t1), ≥t1. iOS: ≤X, X<A≤Y, >Y.
   */
  readonly durationBucket: (attenuation: number, t0: number, t1: number) => 0 | 1 | 2;
  /** v1 items 4/5: unit of durations the API returns. */
  readonly durationUnit: 'minutes' | 'seconds';
  /** v2: iOS ignores keys whose mapped infectiousness is NONE (gaen.md §5). Android scores them with weight[NONE] (default 0). */
  readonly ignoresInfectiousnessNone: boolean;
  /** v2: iOS ignores keys without a report type when reportTypeNoneMap is UNKNOWN. Android requires reportTypeWhenMissing ≠ UNKNOWN. */
  readonly allowsUnknownReportTypeWhenMissing: boolean;
  /** v2: iOS rounds ERV / weightedDuration seconds to the nearest minute; Android returns raw doubles. */
  readonly roundsV2ToMinute: boolean;
  /**
   * A provided file whose signature does not verify fails the whole call (types.ts DetectionFailed).
   * Android: ApiException 10 (cwa-app-android#737). iOS: UNVERIFIED, modelled as skipping the file.
   */
  readonly badSignatureFailsCall: boolean;
  /**
   * Android hashes a provided file's start_timestamp, end_timestamp and batch_num to de-duplicate: a
   * later file with the same three is skipped (gaen.md "Server conventions", Google's exposure-
   * notifications-server exportfile.go, which bumps end_timestamp per file for this reason). Kept for
   * the framework's lifetime, i.e. across calls as well as within one [UNVERIFIED: whether the hash
   * outlives one provideDiagnosisKeys call]. iOS: no such de-duplication is documented [UNVERIFIED].
   */
  readonly deduplicatesFilesByHeader: boolean;
}

export const PLATFORM_RULES: Readonly<Record<FrameworkPlatform, PlatformRules>> = {
  android: {
    platform: 'android',
    scoreCap: 4096,
    transmissionFactor: (level, scores) => (level >= 1 && level <= 8 ? (scores[level - 1] ?? 0) : 1),
    belowMinimum: 'zero',
    durationBucket: (a, t0, t1) => (a < t0 ? 0 : a < t1 ? 1 : 2),
    durationUnit: 'minutes',
    ignoresInfectiousnessNone: false,
    allowsUnknownReportTypeWhenMissing: false,
    roundsV2ToMinute: false,
    badSignatureFailsCall: true,
    deduplicatesFilesByHeader: true,
  },
  ios: {
    platform: 'ios',
    scoreCap: 255,
    transmissionFactor: (level, scores) => (level >= 0 && level <= 7 ? (scores[level] ?? 0) : 0),
    belowMinimum: 'drop',
    durationBucket: (a, t0, t1) => (a <= t0 ? 0 : a <= t1 ? 1 : 2),
    durationUnit: 'seconds',
    ignoresInfectiousnessNone: true,
    allowsUnknownReportTypeWhenMissing: true,
    roundsV2ToMinute: true,
    badSignatureFailsCall: false,
    deduplicatesFilesByHeader: false,
  },
};
