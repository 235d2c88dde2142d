/**
 * Parsing the exposure configuration documents the apps fetch (cocoa.md §1.6), with the member
 * spellings of the published files (cocoa-mhlw/cocoa `documents/static/exposure_configuration/`) and
 * Chino's model (`Chino.Common/ExposureConfiguration.cs`: `[JsonProperty]` names; the iOS v2 member
 * `DaysSinceLastExposureThreshold` has no `[JsonProperty]`, so Newtonsoft reads it by its C# name).
 *
 * Strict by design: a member that is missing or of the wrong type is an AppConfigError naming the
 * member's path. COCOA's Newtonsoft deserialiser would instead keep Chino's per-member default without
 * a word; ichiren refuses the document so that the app's fallback becomes evidence (cocoa.ts).
 */

import { ReportType } from '../../protocol/tek.js';
import type {
  DailySummariesConfig,
  DiagnosisKeysDataMapping,
  IosExposureConfigurationV2,
  V1Configuration,
} from '../framework/index.js';
import { Infectiousness } from '../framework/index.js';
import type { Platform } from '../types.js';

type Json = Record<string, unknown>;

export class AppConfigError extends Error {
  readonly code = 'APP_CONFIG_INVALID';
  constructor(
    readonly source: string,
    /** Member path, e.g. `google_daily_summaries_config.report_type_weights.ConfirmedTest`. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${source}: ${field}: ${reason}`);
    this.name = 'AppConfigError';
  }
}

/** One JSON object being read, with the path of members read so far for error messages. */
class Reader {
  constructor(
    readonly o: Json,
    readonly path: string,
    readonly source: string,
  ) {}

  static root(doc: unknown, source: string): Reader {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
      throw new AppConfigError(source, '(root)', 'expected a JSON object');
    return new Reader(doc as Json, '', source);
  }

  at(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  fail(field: string, reason: string): never {
    throw new AppConfigError(this.source, this.at(field), reason);
  }

  has(field: string): boolean {
    return this.o[field] !== undefined;
  }

  num(field: string): number {
    const v = this.o[field];
    if (v === undefined) this.fail(field, 'missing (expected a number)');
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `expected a number, got ${show(v)}`);
    return v;
  }

  optNum(field: string): number | undefined {
    return this.has(field) ? this.num(field) : undefined;
  }

  nums(field: string, length: number): number[] {
    const v = this.o[field];
    if (v === undefined) this.fail(field, `missing (expected ${length} numbers)`);
    if (!Array.isArray(v) || v.length !== length || v.some((x) => typeof x !== 'number'))
      this.fail(field, `expected ${length} numbers, got ${show(v)}`);
    return v as number[];
  }

  obj(field: string): Reader {
    const v = this.o[field];
    if (v === undefined) this.fail(field, 'missing (expected an object)');
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail(field, `expected an object, got ${show(v)}`);
    return new Reader(v as Json, this.at(field), this.source);
  }

  str(field: string): string {
    const v = this.o[field];
    if (v === undefined) this.fail(field, 'missing (expected a string)');
    if (typeof v !== 'string') this.fail(field, `expected a string, got ${show(v)}`);
    return v;
  }

  /** An enum member written as its number or its C# name (Newtonsoft reads both). */
  enumValue<T extends number>(field: string, names: Readonly<Record<string, T>>): T {
    return enumOf(this.o[field], names, () => this.fail(field, `expected one of ${enumChoices(names)}`));
  }
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

function enumOf<T extends number>(v: unknown, names: Readonly<Record<string, T>>, fail: () => never): T {
  const values = Object.values(names);
  if (typeof v === 'number' && values.includes(v as T)) return v as T;
  if (typeof v === 'string' && v in names) return names[v] as T;
  if (typeof v === 'string' && /^-?\d+$/.test(v) && values.includes(Number(v) as T)) return Number(v) as T;
  return fail();
}

const enumChoices = (names: Readonly<Record<string, number>>): string =>
  Object.entries(names)
    .map(([n, v]) => `${v}/"${n}"`)
    .join(', ');

/** Chino.Infectiousness (None 0, Standard 1, High 2). */
export const INFECTIOUSNESS_NAMES = {
  None: Infectiousness.NONE,
  Standard: Infectiousness.STANDARD,
  High: Infectiousness.HIGH,
} as const;

/** Chino.ReportType as the weight maps spell it (`ConfirmedTest`, …). */
export const REPORT_TYPE_NAMES = {
  Unknown: ReportType.UNKNOWN,
  ConfirmedTest: ReportType.CONFIRMED_TEST,
  ConfirmedClinicalDiagnosis: ReportType.CONFIRMED_CLINICAL_DIAGNOSIS,
  SelfReport: ReportType.SELF_REPORT,
  Recursive: ReportType.RECURSIVE,
  Revoked: ReportType.REVOKED,
} as const;

/** Days since onset −14..14 → infectiousness, keyed by day as a string (`"-14"`). */
function dsosMap(r: Reader, field: string): Record<number, Infectiousness> {
  const m = r.obj(field);
  const out: Record<number, Infectiousness> = {};
  for (const [k, v] of Object.entries(m.o)) {
    const day = Number(k);
    if (!/^-?\d+$/.test(k) || day < -14 || day > 14) m.fail(k, 'expected a day −14..14 as key');
    out[day] = enumOf(v, INFECTIOUSNESS_NAMES, () =>
      m.fail(k, `expected one of ${enumChoices(INFECTIOUSNESS_NAMES)}`),
    );
  }
  return out;
}

/** A weight map keyed by enum name or number (`{"High": 1.0}`), as Newtonsoft reads Dictionary<Enum, double>. */
function weightMap(
  r: Reader,
  field: string,
  names: Readonly<Record<string, number>>,
): Partial<Record<number, number>> {
  const m = r.obj(field);
  const out: Partial<Record<number, number>> = {};
  for (const k of Object.keys(m.o)) {
    const key = enumOf(k, names, () => m.fail(k, `unknown key; expected one of ${enumChoices(names)}`));
    out[key] = m.num(k);
  }
  return out;
}

/** Xamarin `Configuration` (PascalCase), as in `c19r/Configration.json`. */
export function parseXamarinConfiguration(doc: unknown, source: string): V1Configuration {
  const r = Reader.root(doc, source);
  const min = r.num('MinimumRiskScore');
  return {
    minimumRiskScore: min,
    attenuationScores: r.nums('AttenuationScores', 8),
    daysSinceLastExposureScores: r.nums('DaysSinceLastExposureScores', 8),
    durationScores: r.nums('DurationScores', 8),
    transmissionRiskScores: r.nums('TransmissionRiskScores', 8),
    durationAtAttenuationThresholds: r.nums('DurationAtAttenuationThresholds', 2),
    // The Xamarin layer passes MinimumRiskScore as iOS minimumRiskScoreFullRange too (cocoa.md §4.1).
    minimumRiskScoreFullRange: min,
    attenuationWeight: r.optNum('AttenuationWeight'),
    transmissionRiskWeight: r.optNum('TransmissionWeight'),
    durationWeight: r.optNum('DurationWeight'),
    daysSinceLastExposureWeight: r.optNum('DaysSinceLastExposureWeight'),
  };
}

export interface ChinoConfiguration {
  /** `google_exposure_config`: what Android's legacy-v1 ExposureConfiguration gets. */
  readonly androidV1: V1Configuration;
  /** `apple_exposure_config_v1`: what iOS's legacy-v1 ENExposureConfiguration gets. */
  readonly iosV1: V1Configuration;
  /** Android: `google_diagnosis_keys_data_mapping_config`; iOS: the mapping members of `apple_exposure_config_v2`. */
  readonly mapping: Readonly<Record<Platform, DiagnosisKeysDataMapping>>;
  /** `google_daily_summaries_config`. */
  readonly android: DailySummariesConfig;
  /** `apple_exposure_config_v2` (weights, thresholds). */
  readonly ios: IosExposureConfigurationV2;
}

/** Chino `exposure_configuration/configuration.json` (snake_case; cocoa.md §1.6). */
export function parseChinoConfiguration(doc: unknown, source: string): ChinoConfiguration {
  const root = Reader.root(doc, source);
  const g = root.obj('google_exposure_config');
  const gm = root.obj('google_diagnosis_keys_data_mapping_config');
  const gd = root.obj('google_daily_summaries_config');
  const a1 = root.obj('apple_exposure_config_v1');
  const a2 = root.obj('apple_exposure_config_v2');
  const thresholds = g.nums('duration_at_attenuation_thresholds', 2);
  return {
    androidV1: {
      minimumRiskScore: g.num('minimum_risk_score'),
      attenuationScores: g.nums('attenuation_scores', 8),
      daysSinceLastExposureScores: g.nums('days_since_last_exposure_scores', 8),
      durationScores: g.nums('duration_scores', 8),
      transmissionRiskScores: g.nums('transmission_risk_scores', 8),
      durationAtAttenuationThresholds: thresholds,
      attenuationWeight: g.num('attenuation_weight'),
      daysSinceLastExposureWeight: g.num('days_since_last_exposure_weight'),
      durationWeight: g.num('duration_weight'),
      transmissionRiskWeight: g.num('transmission_risk_weight'),
    },
    iosV1: {
      minimumRiskScore: a1.num('minimum_risk_score'),
      attenuationScores: a1.nums('attenuation_level_values', 8),
      daysSinceLastExposureScores: a1.nums('days_since_last_exposure_level_values', 8),
      durationScores: a1.nums('duration_level_values', 8),
      transmissionRiskScores: a1.nums('transmission_risk_level_values', 8),
      // apple_exposure_config_v1 has no thresholds member: Chino's iOS v1 path uses the Google
      // section's [50, 70], which is also Apple's v1 default [UNVERIFIED which one Chino sets].
      durationAtAttenuationThresholds: thresholds,
      minimumRiskScoreFullRange: a1.num('minimum_risk_score_full_range'),
    },
    mapping: {
      android: {
        daysSinceOnsetToInfectiousness: dsosMap(gm, 'infectiousness_for_days_since_onset_of_symptoms'),
        infectiousnessWhenDaysSinceOnsetMissing: gm.enumValue(
          'infectiousness_when_days_since_onset_missing',
          INFECTIOUSNESS_NAMES,
        ),
        reportTypeWhenMissing: gm.enumValue('report_type_when_missing', REPORT_TYPE_NAMES),
      },
      ios: {
        daysSinceOnsetToInfectiousness: dsosMap(a2, 'infectiousness_for_days_since_onset_of_symptoms'),
        infectiousnessWhenDaysSinceOnsetMissing: a2.enumValue(
          'infectiousness_when_days_since_onset_missing',
          INFECTIOUSNESS_NAMES,
        ),
        reportTypeWhenMissing: a2.enumValue('report_type_none_map', REPORT_TYPE_NAMES),
      },
    },
    android: {
      kind: 'android-daily-summaries',
      reportTypeWeights: weightMap(gd, 'report_type_weights', REPORT_TYPE_NAMES),
      infectiousnessWeights: weightMap(gd, 'infectiousness_weights', INFECTIOUSNESS_NAMES),
      attenuationBucketThresholdDb: gd.nums('attenuation_bucket_threshold_db', 3),
      attenuationBucketWeights: gd.nums('attenuation_bucket_weights', 4),
      daysSinceExposureThreshold: gd.num('days_since_exposure_threshold'),
      minimumWindowScore: gd.num('minimum_window_score'),
    },
    ios: {
      kind: 'ios-v2',
      attenuationDurationThresholds: a2.nums('attenuation_duration_thresholds', 3),
      immediateDurationWeight: a2.num('immediate_duration_weight'),
      nearDurationWeight: a2.num('near_duration_weight'),
      mediumDurationWeight: a2.num('medium_duration_weight'),
      otherDurationWeight: a2.num('other_duration_weight'),
      infectiousnessStandardWeight: a2.num('infectiousness_standard_weight'),
      infectiousnessHighWeight: a2.num('infectiousness_high_weight'),
      reportTypeConfirmedTestWeight: a2.num('report_type_confirmed_test_weight'),
      reportTypeConfirmedClinicalDiagnosisWeight: a2.num('report_type_confirmed_clinical_diagnosis_weight'),
      reportTypeSelfReportedWeight: a2.num('report_type_self_reported_weight'),
      reportTypeRecursiveWeight: a2.num('report_type_recursive_weight'),
      daysSinceLastExposureThreshold: a2.num('DaysSinceLastExposureThreshold'),
    },
  };
}

// ------------------------------------------------------------------ risk calculation

/** `V1ExposureRiskCalculationConfiguration.Threshold` operators (COCOA `Model/ExposureRiskCalculationConfiguration.cs`). */
export const RISK_OPERATORS = ['NOP', '=', '>', '>=', '<', '<='] as const;
export type RiskOperator = (typeof RISK_OPERATORS)[number];

export interface RiskCondition {
  readonly op: RiskOperator;
  readonly value: number;
}

/** The five conditions, by what they measure. */
export interface RiskCalculationConfiguration {
  readonly formatVersion: 1;
  readonly scoreSum: RiskCondition;
  readonly weightedDurationAverage: RiskCondition;
  readonly secondsSinceLastScanSum: RiskCondition;
  readonly typicalAttenuationDbMax: RiskCondition;
  readonly typicalAttenuationDbMin: RiskCondition;
}

export type RiskMeasure = Exclude<keyof RiskCalculationConfiguration, 'formatVersion'>;

/** Member name of each condition in risk_calculation_configuration.json. */
export const RISK_MEMBERS: Readonly<Record<RiskMeasure, string>> = {
  scoreSum: 'DailySummary_DaySummary_ScoreSum',
  weightedDurationAverage: 'DailySummary_DaySummary_WeightedDurationAverage',
  secondsSinceLastScanSum: 'ExposureWindow_ScanInstance_SecondsSinceLastScanSum',
  typicalAttenuationDbMax: 'ExposureWindow_ScanInstance_TypicalAttenuationDb_Max',
  typicalAttenuationDbMin: 'ExposureWindow_ScanInstance_TypicalAttenuationDb_Min',
};

function condition(r: Reader, member: string): RiskCondition {
  const c = r.obj(member);
  const op = c.str('op');
  // COCOA's Cond() answers false for an unknown operator (never High); ichiren refuses it instead.
  if (!(RISK_OPERATORS as readonly string[]).includes(op))
    c.fail('op', `unknown operator ${show(op)}; expected one of ${RISK_OPERATORS.join(' ')}`);
  return { op: op as RiskOperator, value: c.num('value') };
}

/** risk_calculation_configuration.json (format_version 1; cocoa.md §1.6). */
export function parseRiskCalculation(doc: unknown, source: string): RiskCalculationConfiguration {
  const r = Reader.root(doc, source);
  const version = r.num('format_version');
  if (version !== 1) r.fail('format_version', `unsupported format_version ${version} (expected 1)`);
  const out: Record<string, unknown> = { formatVersion: 1 };
  for (const [measure, member] of Object.entries(RISK_MEMBERS)) out[measure] = condition(r, member);
  return out as unknown as RiskCalculationConfiguration;
}
