/**
 * The configurations each COCOA build has compiled in and uses when the served document is missing
 * or cannot be parsed (cocoa.md §1.6). Written in the served files' own shapes and spellings, so that
 * the default goes through the same parser as a download.
 */

/** Hard-coded default of 1.1.4–1.4.0 (cocoa.md §1.6). */
export const XAMARIN_DEFAULT_114 = {
  MinimumRiskScore: 21,
  AttenuationWeight: 50,
  TransmissionWeight: 50,
  DurationWeight: 50,
  DaysSinceLastExposureWeight: 50,
  TransmissionRiskScores: [7, 7, 7, 7, 7, 7, 7, 7],
  AttenuationScores: [1, 2, 3, 4, 5, 6, 7, 8],
  DurationScores: [0, 0, 0, 0, 1, 1, 1, 1],
  DaysSinceLastExposureScores: [1, 1, 1, 1, 1, 1, 1, 1],
  DurationAtAttenuationThresholds: [50, 70],
};

/** 1.1.3: min 1, attenuation scores 0/1 (cocoa.md §1.6, §4.1). */
export const XAMARIN_DEFAULT_113 = {
  ...XAMARIN_DEFAULT_114,
  MinimumRiskScore: 1,
  AttenuationScores: [0, 0, 0, 0, 1, 1, 1, 1],
};

/** DSOS −14..−4 → 0 (None), −3..+10 → 2 (High), +11..+14 → 0 (cocoa.md §1.6). */
const dsos: Record<string, number> = {};
for (let d = -14; d <= 14; d++) dsos[String(d)] = d >= -3 && d <= 10 ? 2 : 0;

/**
 * 2.x's default: the reference values of cocoa.md §1.6 (2022 TR scores [0,0,7,…] on iOS v1).
 * [UNVERIFIED] whether COCOA 2.x falls back to a bundled copy of these values or to Chino's class
 * defaults (ExposureConfiguration.cs, e.g. google minimum_risk_score 4); ichiren assumes the former.
 */
export const CHINO_DEFAULT = {
  google_exposure_config: {
    attenuation_scores: [1, 2, 3, 4, 5, 6, 7, 8],
    attenuation_weight: 50,
    days_since_last_exposure_scores: [1, 1, 1, 1, 1, 1, 1, 1],
    days_since_last_exposure_weight: 50,
    duration_at_attenuation_thresholds: [50, 70],
    duration_scores: [0, 0, 0, 0, 1, 1, 1, 1],
    duration_weight: 50,
    minimum_risk_score: 21,
    transmission_risk_scores: [7, 7, 7, 7, 7, 7, 7, 7],
    transmission_risk_weight: 50,
  },
  google_diagnosis_keys_data_mapping_config: {
    infectiousness_when_days_since_onset_missing: 2,
    report_type_when_missing: 1,
    infectiousness_for_days_since_onset_of_symptoms: dsos,
  },
  google_daily_summaries_config: {
    attenuation_bucket_threshold_db: [46, 60, 65],
    attenuation_bucket_weights: [1.0, 2.5, 1.3, 0.01],
    days_since_exposure_threshold: 0,
    infectiousness_weights: { High: 1.0, Standard: 1.0 },
    minimum_window_score: 0.0,
    report_type_weights: {
      ConfirmedClinicalDiagnosis: 1.0,
      ConfirmedTest: 1.0,
      SelfReport: 1.0,
      Recursive: 1.0,
    },
  },
  apple_exposure_config_v1: {
    attenuation_level_values: [1, 2, 3, 4, 5, 6, 7, 8],
    days_since_last_exposure_level_values: [1, 1, 1, 1, 1, 1, 1, 1],
    duration_level_values: [0, 0, 0, 0, 1, 1, 1, 1],
    transmission_risk_level_values: [0, 0, 7, 7, 7, 7, 7, 7],
    minimum_risk_score: 21,
    minimum_risk_score_full_range: 0.0,
  },
  apple_exposure_config_v2: {
    infectiousness_when_days_since_onset_missing: 2,
    attenuation_duration_thresholds: [46, 60, 65],
    immediate_duration_weight: 100.0,
    near_duration_weight: 250.0,
    medium_duration_weight: 130.0,
    other_duration_weight: 1.0,
    DaysSinceLastExposureThreshold: 0,
    infectiousness_for_days_since_onset_of_symptoms: dsos,
    infectiousness_high_weight: 100.0,
    infectiousness_standard_weight: 100.0,
    report_type_confirmed_clinical_diagnosis_weight: 100.0,
    report_type_confirmed_test_weight: 100.0,
    report_type_recursive_weight: 100.0,
    report_type_self_reported_weight: 100.0,
    report_type_none_map: 1,
  },
};

/** ScoreSum ≥ 1350 AND SecondsSinceLastScanSum ≥ 900, the rest NOP (cocoa.md §1.6, 2022-01 values). */
export const RISK_CALCULATION_DEFAULT = {
  format_version: 1,
  DailySummary_DaySummary_ScoreSum: { op: '>=', value: 1350.0 },
  DailySummary_DaySummary_WeightedDurationAverage: { op: 'NOP', value: 0.0 },
  ExposureWindow_ScanInstance_SecondsSinceLastScanSum: { op: '>=', value: 900.0 },
  ExposureWindow_ScanInstance_TypicalAttenuationDb_Max: { op: 'NOP', value: 0.0 },
  ExposureWindow_ScanInstance_TypicalAttenuationDb_Min: { op: 'NOP', value: 0.0 },
};
