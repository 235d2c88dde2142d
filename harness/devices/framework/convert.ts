/**
 * v2 configuration shapes (gaen.md §5 "v2 differences to model"). Each platform reads its own shape;
 * given the other platform's shape, it converts it first:
 * - Android reading an iOS ENExposureConfiguration: percent / 100, and iOS's unset = 100 % made explicit
 *   (the iOS object's meaning is kept).
 * - iOS reading an Android DailySummariesConfig: weights × 100 for the weights that are **set**; unset
 *   ones stay unset and so take iOS's default 100 %, where Android would use 0.0. This is the
 *   documented "unset weight" difference, emerging from each platform's defaults.
 */
import { ReportType } from '../../protocol/tek.js';
import {
  type DailySummariesConfig,
  Infectiousness,
  type IosExposureConfigurationV2,
  type V2Configuration,
} from './types.js';

const IOS_DEFAULT_PERCENT = 100;
const IOS_DEFAULT_THRESHOLDS = [50, 70, 90];

const pct = (v: number | undefined): number => (v ?? IOS_DEFAULT_PERCENT) / 100;

export function dailySummariesFromIos(c: IosExposureConfigurationV2): DailySummariesConfig {
  return {
    kind: 'android-daily-summaries',
    reportTypeWeights: {
      [ReportType.CONFIRMED_TEST]: pct(c.reportTypeConfirmedTestWeight),
      [ReportType.CONFIRMED_CLINICAL_DIAGNOSIS]: pct(c.reportTypeConfirmedClinicalDiagnosisWeight),
      [ReportType.SELF_REPORT]: pct(c.reportTypeSelfReportedWeight),
      [ReportType.RECURSIVE]: pct(c.reportTypeRecursiveWeight),
    },
    infectiousnessWeights: {
      [Infectiousness.STANDARD]: pct(c.infectiousnessStandardWeight),
      [Infectiousness.HIGH]: pct(c.infectiousnessHighWeight),
    },
    attenuationBucketThresholdDb: c.attenuationDurationThresholds ?? IOS_DEFAULT_THRESHOLDS,
    attenuationBucketWeights: [
      pct(c.immediateDurationWeight),
      pct(c.nearDurationWeight),
      pct(c.mediumDurationWeight),
      pct(c.otherDurationWeight),
    ],
    daysSinceExposureThreshold: c.daysSinceLastExposureThreshold ?? 0,
    minimumWindowScore: c.minimumRiskScoreFullRange ?? 0,
  };
}

const times100 = (v: number | undefined): number | undefined => (v === undefined ? undefined : v * 100);

export function iosConfigurationFromDailySummaries(c: DailySummariesConfig): IosExposureConfigurationV2 {
  const set = <K extends keyof IosExposureConfigurationV2>(
    out: Record<string, unknown>,
    key: K,
    value: number | undefined,
  ): void => {
    if (value !== undefined) out[key] = value;
  };
  const out: Record<string, unknown> = { kind: 'ios-v2' };
  set(out, 'reportTypeConfirmedTestWeight', times100(c.reportTypeWeights[ReportType.CONFIRMED_TEST]));
  set(
    out,
    'reportTypeConfirmedClinicalDiagnosisWeight',
    times100(c.reportTypeWeights[ReportType.CONFIRMED_CLINICAL_DIAGNOSIS]),
  );
  set(out, 'reportTypeSelfReportedWeight', times100(c.reportTypeWeights[ReportType.SELF_REPORT]));
  set(out, 'reportTypeRecursiveWeight', times100(c.reportTypeWeights[ReportType.RECURSIVE]));
  set(out, 'infectiousnessStandardWeight', times100(c.infectiousnessWeights[Infectiousness.STANDARD]));
  set(out, 'infectiousnessHighWeight', times100(c.infectiousnessWeights[Infectiousness.HIGH]));
  const w = c.attenuationBucketWeights;
  set(out, 'immediateDurationWeight', times100(w[0]));
  set(out, 'nearDurationWeight', times100(w[1]));
  set(out, 'mediumDurationWeight', times100(w[2]));
  set(out, 'otherDurationWeight', times100(w[3]));
  out.attenuationDurationThresholds = c.attenuationBucketThresholdDb;
  out.daysSinceLastExposureThreshold = c.daysSinceExposureThreshold;
  if (c.minimumWindowScore > 0) out.minimumRiskScoreFullRange = c.minimumWindowScore;
  return out as unknown as IosExposureConfigurationV2;
}

/** The configuration in the shape `platform` reads. */
export function convertV2Configuration(platform: 'android' | 'ios', c: V2Configuration): V2Configuration {
  if (platform === 'android') return c.kind === 'android-daily-summaries' ? c : dailySummariesFromIos(c);
  return c.kind === 'ios-v2' ? c : iosConfigurationFromDailySummaries(c);
}
