/** Parsing the exposure configuration documents the apps fetch (cocoa.md §1.6). */

import type { ReportType } from '../../protocol/tek.js';
import type {
  DailySummariesConfig,
  DiagnosisKeysDataMapping,
  Infectiousness,
  IosExposureConfigurationV2,
  V1Configuration,
} from '../framework/index.js';

type Json = Record<string, unknown>;

export class AppConfigError extends Error {
  readonly code = 'APP_CONFIG_INVALID';
  constructor(
    readonly source: string,
    readonly field: string,
    message: string,
  ) {
    super(`${source}: ${field}: ${message}`);
    this.name = 'AppConfigError';
  }
}

function nums(o: Json, field: string, source: string, length?: number): number[] {
  const v = o[field];
  if (
    !Array.isArray(v) ||
    v.some((x) => typeof x !== 'number') ||
    (length !== undefined && v.length !== length)
  ) {
    throw new AppConfigError(source, field, `expected ${length ?? 'an array of'} numbers`);
  }
  return v as number[];
}

function num(o: Json, field: string, source: string): number {
  const v = o[field];
  if (typeof v !== 'number') throw new AppConfigError(source, field, 'expected a number');
  return v;
}

function obj(o: Json, field: string, source: string): Json {
  const v = o[field];
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new AppConfigError(source, field, 'expected an object');
  return v as Json;
}

/** Xamarin `Configuration` (PascalCase), as in `c19r/Configration.json`. */
export function parseXamarinConfiguration(doc: unknown, source: string): V1Configuration {
  if (typeof doc !== 'object' || doc === null)
    throw new AppConfigError(source, '(root)', 'expected an object');
  const o = doc as Json;
  const min = num(o, 'MinimumRiskScore', source);
  return {
    minimumRiskScore: min,
    attenuationScores: nums(o, 'AttenuationScores', source, 8),
    daysSinceLastExposureScores: nums(o, 'DaysSinceLastExposureScores', source, 8),
    durationScores: nums(o, 'DurationScores', source, 8),
    transmissionRiskScores: nums(o, 'TransmissionRiskScores', source, 8),
    durationAtAttenuationThresholds: nums(o, 'DurationAtAttenuationThresholds', source, 2),
    // The Xamarin layer passes MinimumRiskScore as iOS minimumRiskScoreFullRange too (cocoa.md §4.1).
    minimumRiskScoreFullRange: min,
    attenuationWeight: o.AttenuationWeight as number | undefined,
    transmissionRiskWeight: o.TransmissionWeight as number | undefined,
    durationWeight: o.DurationWeight as number | undefined,
    daysSinceLastExposureWeight: o.DaysSinceLastExposureWeight as number | undefined,
  };
}

function dsosMap(o: Json, source: string, field: string): Record<number, Infectiousness> {
  const m = obj(o, field, source);
  const out: Record<number, Infectiousness> = {};
  for (const [k, v] of Object.entries(m)) out[Number(k)] = v as Infectiousness;
  return out;
}

function weights(o: Json): Partial<Record<number, number>> {
  const out: Partial<Record<number, number>> = {};
  for (const [k, v] of Object.entries(o)) out[Number(k)] = v as number;
  return out;
}

export interface ChinoConfiguration {
  readonly androidV1: V1Configuration;
  readonly iosV1: V1Configuration;
  readonly mapping: DiagnosisKeysDataMapping;
  readonly android: DailySummariesConfig;
  readonly ios: IosExposureConfigurationV2;
}

/** Chino `exposure_configuration/configuration.json` (snake_case; member spelling UNVERIFIED, fixtures README). */
export function parseChinoConfiguration(doc: unknown, source: string): ChinoConfiguration {
  if (typeof doc !== 'object' || doc === null)
    throw new AppConfigError(source, '(root)', 'expected an object');
  const root = doc as Json;
  const g = obj(root, 'google_exposure_config', source);
  const gm = obj(root, 'google_diagnosis_keys_data_mapping_config', source);
  const gd = obj(root, 'google_daily_summaries_config', source);
  const a1 = obj(root, 'apple_exposure_config_v1', source);
  const a2 = obj(root, 'apple_exposure_config_v2', source);
  const gmin = num(g, 'minimum_risk_score', source);
  const amin = num(a1, 'minimum_risk_score', source);
  const thresholds = nums(g, 'duration_at_attenuation_thresholds', source, 2);
  return {
    androidV1: {
      minimumRiskScore: gmin,
      attenuationScores: nums(g, 'attenuation_scores', source, 8),
      daysSinceLastExposureScores: nums(g, 'days_since_last_exposure_scores', source, 8),
      durationScores: nums(g, 'duration_scores', source, 8),
      transmissionRiskScores: nums(g, 'transmission_risk_scores', source, 8),
      durationAtAttenuationThresholds: thresholds,
    },
    iosV1: {
      minimumRiskScore: amin,
      attenuationScores: nums(a1, 'attenuation_level_values', source, 8),
      daysSinceLastExposureScores: nums(a1, 'days_since_last_exposure_level_values', source, 8),
      durationScores: nums(a1, 'duration_level_values', source, 8),
      transmissionRiskScores: nums(a1, 'transmission_risk_level_values', source, 8),
      durationAtAttenuationThresholds: thresholds,
      minimumRiskScoreFullRange: (a1.minimum_risk_score_full_range as number | undefined) ?? amin,
    },
    mapping: {
      daysSinceOnsetToInfectiousness: dsosMap(gm, source, 'days_since_onset_to_infectiousness'),
      reportTypeWhenMissing: num(gm, 'report_type_when_missing', source) as ReportType,
      infectiousnessWhenDaysSinceOnsetMissing: num(
        gm,
        'infectiousness_when_days_since_onset_missing',
        source,
      ) as Infectiousness,
    },
    android: {
      kind: 'android-daily-summaries',
      reportTypeWeights: weights(obj(gd, 'report_type_weights', source)),
      infectiousnessWeights: weights(obj(gd, 'infectiousness_weights', source)),
      attenuationBucketThresholdDb: nums(gd, 'attenuation_bucket_threshold_db', source, 3),
      attenuationBucketWeights: nums(gd, 'attenuation_bucket_weights', source, 4),
      daysSinceExposureThreshold: num(gd, 'days_since_exposure_threshold', source),
      minimumWindowScore: num(gd, 'minimum_window_score', source),
    },
    ios: {
      kind: 'ios-v2',
      attenuationDurationThresholds: nums(a2, 'attenuation_duration_thresholds', source, 3),
      immediateDurationWeight: a2.immediate_duration_weight as number | undefined,
      nearDurationWeight: a2.near_duration_weight as number | undefined,
      mediumDurationWeight: a2.medium_duration_weight as number | undefined,
      otherDurationWeight: a2.other_duration_weight as number | undefined,
      infectiousnessStandardWeight: a2.infectiousness_standard_weight as number | undefined,
      infectiousnessHighWeight: a2.infectiousness_high_weight as number | undefined,
      reportTypeConfirmedTestWeight: a2.report_type_confirmed_test_weight as number | undefined,
      reportTypeConfirmedClinicalDiagnosisWeight: a2.report_type_confirmed_clinical_diagnosis_weight as
        | number
        | undefined,
      reportTypeSelfReportedWeight: a2.report_type_self_reported_weight as number | undefined,
      reportTypeRecursiveWeight: a2.report_type_recursive_weight as number | undefined,
      daysSinceLastExposureThreshold: a2.days_since_last_exposure_threshold as number | undefined,
    },
  };
}

/** risk_calculation_configuration.json: the two non-NOP conditions (cocoa.md §1.6). */
export function parseRiskCalculation(doc: unknown, source: string): { scoreSum: number; secondsSum: number } {
  if (typeof doc !== 'object' || doc === null)
    throw new AppConfigError(source, '(root)', 'expected an object');
  const o = doc as Json;
  return {
    scoreSum: num(obj(o, 'DailySummary_DaySummary_ScoreSum', source), 'value', source),
    secondsSum: num(obj(o, 'ExposureWindow_ScanInstance_SecondsSinceLastScanSum', source), 'value', source),
  };
}
