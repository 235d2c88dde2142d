/**
 * Public types of the simulated Exposure Notification framework (what the OS does on a phone):
 * own keys and advertisements, sightings, download/verify of export files, matching, EN v1 risk
 * scoring and EN v2 ExposureWindows / daily summaries (gaen.md §1–§5, cocoa.md §4).
 *
 * Platform differences are data chosen by `platform` (see platform.ts), never a branch on an app
 * or OS version name.
 */
import type { ExportFileErrorCode } from '../../protocol/export/errors.js';
import type { BluetoothMetadata, CalibrationConfidence } from '../../protocol/metadata.js';
import type { ReportType, TemporaryExposureKey } from '../../protocol/tek.js';
import type { VerificationPublicKey } from '../../stack/types.js';
import type { Sighting } from '../sighting.js';

export type { BluetoothMetadata, CalibrationConfidence, ReportType, Sighting, TemporaryExposureKey };
export type FrameworkPlatform = 'android' | 'ios';

export interface FrameworkOptions {
  readonly platform: FrameworkPlatform;
  /** e.g. "13.5" (iOS), "11" (Android). Recorded; no behaviour is keyed on it. */
  readonly osVersion: string;
  /** Seeded source of random bytes: TEKs and the ExposureWindow shuffle. */
  readonly random: (n: number) => Uint8Array;
  /** This phone's own TX power and calibration confidence, written into its AEMs. */
  readonly metadata: BluetoothMetadata;
  /** Public keys export files must verify against (gaen.md §2). */
  readonly verificationKeys: readonly VerificationPublicKey[];
  /** Hears each draw of the seed that can move a verdict (model-draws.ts): here, a window shuffle. */
  readonly onModelDraw?: (draw: ModelDraw) => void;
}

/**
 * A draw of the run's seed that can change what a phone decides, not only which bytes identify it:
 * the simulated radio's noise and losses, or the order of two or more ExposureWindows (Android hands
 * them over in no fixed order). Keys, GUIDs, padding and processing numbers are identities.
 */
export type ModelDraw = 'radio' | 'window-order';

/** What the phone advertises during one ENIntervalNumber (gaen.md §1 "BLE payload"). */
export interface Advertisement {
  readonly rpi: Buffer;
  readonly aem: Buffer;
  readonly enin: number;
}

export interface DiagnosisKeysOptions {
  /**
   * Release the current day's TEK now, with rolling_period shortened to the intervals already used
   * (EN v2 same-day release, gaen.md §5 last bullet). The framework then stops using that key and
   * advertises from the next interval on from a new key of the same start interval (keys.ts).
   * Default false (v1: previous 13 days).
   */
  readonly includeCurrentDay?: boolean;
}

// ---------------------------------------------------------------- download

/**
 * Why a downloaded file was not taken in: the export reader's codes, unreadable as a whole, or (Android)
 * its header repeats one already provided (platform.ts deduplicatesFilesByHeader).
 */
export type FileRejectCode = ExportFileErrorCode | 'EXPORT_UNREADABLE' | 'EXPORT_DUPLICATE_HEADER';

export interface FileRejection {
  /** Index of the file in the `files` argument. */
  readonly file: number;
  readonly code: FileRejectCode;
  readonly reason: string;
}

export interface DownloadReport {
  readonly filesAccepted: number;
  readonly filesRejected: number;
  readonly rejectReasons: readonly FileRejection[];
  /** Keys (keys + revised_keys) read from accepted files. */
  readonly keysRead: number;
}

/** A diagnosis key as the framework takes it in from a verified file. */
export interface DownloadedKey extends TemporaryExposureKey {
  /** True when the key came from `revised_keys` (gaen.md §2). */
  readonly revised?: boolean;
}

// ---------------------------------------------------------------- matching

/** One sighting that matched a downloaded key, after validity, anti-replay and AEM checks (gaen.md §3). */
export interface MatchedSighting {
  readonly epochSeconds: number;
  readonly previousScanEpochSeconds: number;
  /** Interval of the RPI the sighting carried. */
  readonly enin: number;
  readonly rssi: number;
  /** Sender's TX power from the decrypted AEM. */
  readonly txPower: number;
  readonly calibrationConfidence: CalibrationConfidence;
  /** max(txPower − rssi, 0). */
  readonly attenuation: number;
}

export interface MatchedKey {
  readonly keyHex: string;
  readonly rollingStartIntervalNumber: number;
  readonly rollingPeriod: number;
  /** As the file carried it; absent on the wire means 0. */
  readonly transmissionRiskLevel: number;
  /** As the file carried it; absent means 0 (UNKNOWN). */
  readonly reportType: number;
  readonly daysSinceOnsetOfSymptoms?: number;
  /** Time-ordered. */
  readonly sightings: readonly MatchedSighting[];
}

// ---------------------------------------------------------------- EN v1

/**
 * The platform-neutral v1 configuration the COCOA Xamarin layer fills (cocoa.md §1.6, §4.1).
 * Android reads it as ExposureConfiguration, iOS as ENExposureConfiguration (platform.ts).
 */
export interface V1Configuration {
  /** Android 1..4096; iOS uint8 (ENRiskScore). */
  readonly minimumRiskScore: number;
  /** 8 values 0..8 each. */
  readonly attenuationScores: readonly number[];
  readonly daysSinceLastExposureScores: readonly number[];
  readonly durationScores: readonly number[];
  readonly transmissionRiskScores: readonly number[];
  /** [t0, t1] dB (Android default {50, 74}; Apple default 50/70). */
  readonly durationAtAttenuationThresholds: readonly number[];
  /** iOS 13.6+: filter on the uncapped score. Ignored on Android. */
  readonly minimumRiskScoreFullRange?: number;
  /** "Reserved for future use" on both platforms: accepted, never applied (gaen.md §4). */
  readonly attenuationWeight?: number;
  readonly daysSinceLastExposureWeight?: number;
  readonly durationWeight?: number;
  readonly transmissionRiskWeight?: number;
}

/** Android ExposureSummary. */
export interface AndroidExposureSummary {
  readonly matchedKeyCount: number;
  readonly daysSinceLastExposure: number;
  readonly maximumRiskScore: number;
  readonly summationRiskScore: number;
  readonly attenuationDurationsInMinutes: readonly number[];
}

/** Android ExposureInformation. */
export interface AndroidExposureInformation {
  readonly dateMillisSinceEpoch: number;
  readonly durationMinutes: number;
  readonly attenuationValue: number;
  readonly transmissionRiskLevel: number;
  readonly totalRiskScore: number;
  readonly attenuationDurationsInMinutes: readonly number[];
}

/** iOS ENExposureDetectionSummary (v1 fields). */
export interface IosExposureDetectionSummary {
  readonly matchedKeyCount: number;
  readonly daysSinceLastExposure: number;
  /** uint8, capped at 255 (ENRiskScoreMax). */
  readonly maximumRiskScore: number;
  readonly maximumRiskScoreFullRange: number;
  readonly riskScoreSumFullRange: number;
  /** Seconds, ≤X / X<A≤Y / >Y, aggregated maximum 30 min per bucket. */
  readonly attenuationDurations: readonly number[];
}

/** iOS ENExposureInfo. */
export interface IosExposureInfo {
  /** Start of the TEK's day, ms since epoch ("reduced precision, within 1 day"). */
  readonly dateMillisSinceEpoch: number;
  /** Seconds, rounded up to the next minute, capped at 1800. */
  readonly duration: number;
  readonly attenuationValue: number;
  readonly transmissionRiskLevel: number;
  /** uint8, capped at 255. */
  readonly totalRiskScore: number;
  readonly totalRiskScoreFullRange: number;
  /** Seconds. */
  readonly attenuationDurations: readonly number[];
}

interface DetectionBase {
  readonly download: DownloadReport;
  readonly matchedKeyCount: number;
  readonly matchedKeys: readonly MatchedKey[];
}

export interface AndroidV1Detection extends DetectionBase {
  readonly kind: 'v1';
  readonly platform: 'android';
  readonly summary: AndroidExposureSummary;
  readonly informations: readonly AndroidExposureInformation[];
}

export interface IosV1Detection extends DetectionBase {
  readonly kind: 'v1';
  readonly platform: 'ios';
  readonly summary: IosExposureDetectionSummary;
  readonly informations: readonly IosExposureInfo[];
}

export type V1Detection = AndroidV1Detection | IosV1Detection;

export interface V1DetectionInput {
  /** Export zips (export.bin + export.sig) as downloaded. */
  readonly files: readonly Uint8Array[];
  readonly configuration: V1Configuration;
  readonly nowEpochSeconds: number;
}

// ---------------------------------------------------------------- EN v2

export const Infectiousness = { NONE: 0, STANDARD: 1, HIGH: 2 } as const;
export type Infectiousness = (typeof Infectiousness)[keyof typeof Infectiousness];

/** DiagnosisKeysDataMapping (Android); iOS takes the same data inside ENExposureConfiguration (gaen.md §5). */
export interface DiagnosisKeysDataMapping {
  /** Days since onset −14..14 → infectiousness; unspecified days are NONE. */
  readonly daysSinceOnsetToInfectiousness: Readonly<Record<number, Infectiousness>>;
  /** Android reportTypeWhenMissing (≠ UNKNOWN); iOS reportTypeNoneMap (UNKNOWN = ignore such keys). */
  readonly reportTypeWhenMissing: ReportType;
  readonly infectiousnessWhenDaysSinceOnsetMissing: Infectiousness;
}

/** Android DailySummariesConfig: weights are doubles 0..2.5, unset = 0.0. */
export interface DailySummariesConfig {
  readonly kind: 'android-daily-summaries';
  /** ReportType → weight. */
  readonly reportTypeWeights: Readonly<Partial<Record<number, number>>>;
  /** Infectiousness → weight. */
  readonly infectiousnessWeights: Readonly<Partial<Record<number, number>>>;
  /** Three strictly increasing dB thresholds. */
  readonly attenuationBucketThresholdDb: readonly number[];
  /** Four weights: immediate, near, medium, other. */
  readonly attenuationBucketWeights: readonly number[];
  /** 0 = no filter. */
  readonly daysSinceExposureThreshold: number;
  readonly minimumWindowScore: number;
}

/** iOS ENExposureConfiguration (v2 fields): weights are percent 0..250, unset = 100. */
export interface IosExposureConfigurationV2 {
  readonly kind: 'ios-v2';
  readonly immediateDurationWeight?: number;
  readonly nearDurationWeight?: number;
  readonly mediumDurationWeight?: number;
  readonly otherDurationWeight?: number;
  readonly infectiousnessStandardWeight?: number;
  readonly infectiousnessHighWeight?: number;
  readonly reportTypeConfirmedTestWeight?: number;
  readonly reportTypeConfirmedClinicalDiagnosisWeight?: number;
  readonly reportTypeSelfReportedWeight?: number;
  readonly reportTypeRecursiveWeight?: number;
  /** Default [50, 70, 90]. */
  readonly attenuationDurationThresholds?: readonly number[];
  /** 0 = no filter. */
  readonly daysSinceLastExposureThreshold?: number;
  /** Windows scoring below are left out of the day summaries (mirrors Android minimumWindowScore) [U]. */
  readonly minimumRiskScoreFullRange?: number;
}

/** Each platform reads its own shape; the other shape is converted (convert.ts). */
export type V2Configuration = DailySummariesConfig | IosExposureConfigurationV2;

/** Android names; iOS ENScanInstance: typicalAttenuation, minimumAttenuation, secondsSinceLastScan. */
export interface ScanInstance {
  readonly typicalAttenuationDb: number;
  readonly minAttenuationDb: number;
  readonly secondsSinceLastScan: number;
}

export interface ExposureWindow {
  /** Start of the UTC day of the window. */
  readonly dateMillisSinceEpoch: number;
  readonly reportType: number;
  readonly infectiousness: Infectiousness;
  readonly calibrationConfidence: CalibrationConfidence;
  readonly scanInstances: readonly ScanInstance[];
}

/** ExposureSummaryData (Android) / ENExposureSummaryItem (iOS). */
export interface ExposureSummaryData {
  readonly maximumScore: number;
  readonly scoreSum: number;
  readonly weightedDurationSum: number;
}

export interface DailySummary {
  readonly daysSinceEpoch: number;
  readonly dateMillisSinceEpoch: number;
  readonly daySummary: ExposureSummaryData;
  /** ReportType → summary, only for report types present that day. */
  readonly summaryByReportType: Readonly<Partial<Record<number, ExposureSummaryData>>>;
}

export interface V2DetectionInput {
  readonly files: readonly Uint8Array[];
  readonly mapping: DiagnosisKeysDataMapping;
  readonly configuration: V2Configuration;
  readonly nowEpochSeconds: number;
}

export interface V2Detection extends DetectionBase {
  readonly kind: 'v2';
  readonly platform: FrameworkPlatform;
  /** Shuffled (seeded), as Android does. */
  readonly exposureWindows: readonly ExposureWindow[];
  /** Ordered by day. */
  readonly dailySummaries: readonly DailySummary[];
}

// ---------------------------------------------------------------- quotas

/** The call was refused because the platform's per-day quota is used up (gaen.md §2 "API call quotas"). */
export interface QuotaExceeded {
  readonly kind: 'quota-exceeded';
  readonly code: 'EN_QUOTA_EXCEEDED';
  readonly platform: FrameworkPlatform;
  readonly mode: 'v1' | 'v2';
  readonly limit: number;
  readonly windowSeconds: number;
  /** When the oldest counted call leaves the window. */
  readonly retryAtEpochSeconds: number;
  readonly reason: string;
}

/**
 * The whole detection call failed, nothing was matched: Android's provideDiagnosisKeys fails with
 * ApiException 10 "Unable to validate key file signature" when a provided file does not verify
 * (corona-warn-app/cwa-app-android#737; kbobrowski/en-i13n#1), rather than skipping that file.
 */
export interface DetectionFailed {
  readonly kind: 'detection-failed';
  readonly code: 'API_EXCEPTION_10';
  readonly platform: FrameworkPlatform;
  readonly reason: string;
  readonly download: DownloadReport;
}

// ---------------------------------------------------------------- framework

export interface ExposureNotificationFramework {
  readonly platform: FrameworkPlatform;
  readonly osVersion: string;
  /** The current TEK's RPI and AEM for the interval containing `epochSeconds`. */
  advertisementAt(epochSeconds: number): Advertisement;
  recordSighting(s: Sighting): void;
  /** Keys the app may upload (previous 13 days; optionally today's, shortened). */
  getDiagnosisKeys(nowEpochSeconds: number, opts?: DiagnosisKeysOptions): TemporaryExposureKey[];
  detectV1(input: V1DetectionInput): V1Detection | QuotaExceeded | DetectionFailed;
  detectV2(input: V2DetectionInput): V2Detection | QuotaExceeded | DetectionFailed;
  /** Number of stored sightings (for evidence and tests). */
  sightingCount(): number;
  /** The phone's own TEKs still kept (for evidence and tests). */
  ownKeys(): readonly TemporaryExposureKey[];
}
