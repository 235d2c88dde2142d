import { describe, expect, it } from 'vitest';
import { CHINO_DEFAULT, RISK_CALCULATION_DEFAULT, XAMARIN_DEFAULT_114 } from './builtin-defaults.js';
import {
  AppConfigError,
  parseChinoConfiguration,
  parseRiskCalculation,
  parseXamarinConfiguration,
} from './config.js';

type Doc = Record<string, Record<string, unknown>>;
const chino = (): Doc => structuredClone(CHINO_DEFAULT) as unknown as Doc;

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof AppConfigError) return `${error.field}: ${error.reason}`;
    throw error;
  }
  throw new Error('expected an AppConfigError');
}

describe('parseChinoConfiguration', () => {
  it('gives Android the Google sections and iOS the Apple ones', () => {
    const doc = chino();
    doc.apple_exposure_config_v2.infectiousness_for_days_since_onset_of_symptoms = { '-14': 1, '0': 2 };
    doc.apple_exposure_config_v2.infectiousness_when_days_since_onset_missing = 1;
    doc.apple_exposure_config_v2.report_type_none_map = 0;
    doc.apple_exposure_config_v1.minimum_risk_score = 9;
    const c = parseChinoConfiguration(doc, 't');
    expect(c.mapping.android.daysSinceOnsetToInfectiousness[-14]).toBe(0);
    expect(c.mapping.ios.daysSinceOnsetToInfectiousness).toEqual({ '-14': 1, 0: 2 });
    expect(c.mapping.android.infectiousnessWhenDaysSinceOnsetMissing).toBe(2);
    expect(c.mapping.ios.infectiousnessWhenDaysSinceOnsetMissing).toBe(1);
    expect(c.mapping.ios.reportTypeWhenMissing).toBe(0);
    expect([c.androidV1.minimumRiskScore, c.iosV1.minimumRiskScore]).toEqual([21, 9]);
    expect(c.ios.nearDurationWeight).toBe(250);
    expect(c.ios.daysSinceLastExposureThreshold).toBe(0);
  });

  it('reads weight maps keyed by Chino enum names or numbers', () => {
    const doc = chino();
    doc.google_daily_summaries_config.report_type_weights = { ConfirmedTest: 2.5, 3: 0.5 };
    doc.google_daily_summaries_config.infectiousness_weights = { High: 1.5, Standard: 0.25 };
    const c = parseChinoConfiguration(doc, 't');
    expect(c.android.reportTypeWeights).toEqual({ 1: 2.5, 3: 0.5 });
    expect(c.android.infectiousnessWeights).toEqual({ 2: 1.5, 1: 0.25 });
  });

  it('names the member that is missing, mistyped or unknown', () => {
    const missing = chino();
    delete missing.google_diagnosis_keys_data_mapping_config.infectiousness_for_days_since_onset_of_symptoms;
    expect(fieldOf(() => parseChinoConfiguration(missing, 't'))).toBe(
      'google_diagnosis_keys_data_mapping_config.infectiousness_for_days_since_onset_of_symptoms: missing (expected an object)',
    );
    const typed = chino();
    typed.apple_exposure_config_v2.near_duration_weight = '250';
    expect(fieldOf(() => parseChinoConfiguration(typed, 't'))).toBe(
      'apple_exposure_config_v2.near_duration_weight: expected a number, got "250"',
    );
    const key = chino();
    key.google_daily_summaries_config.report_type_weights = { Confirmed: 1 };
    expect(fieldOf(() => parseChinoConfiguration(key, 't'))).toMatch(
      /^google_daily_summaries_config\.report_type_weights\.Confirmed: unknown key/,
    );
    const day = chino();
    day.google_diagnosis_keys_data_mapping_config.infectiousness_for_days_since_onset_of_symptoms = { 15: 2 };
    expect(fieldOf(() => parseChinoConfiguration(day, 't'))).toMatch(/onset_of_symptoms\.15: expected a day/);
    expect(fieldOf(() => parseChinoConfiguration([], 't'))).toBe('(root): expected a JSON object');
  });
});

describe('parseRiskCalculation', () => {
  it('reads every condition with its operator', () => {
    const r = parseRiskCalculation(RISK_CALCULATION_DEFAULT, 't');
    expect(r.scoreSum).toEqual({ op: '>=', value: 1350 });
    expect(r.secondsSinceLastScanSum).toEqual({ op: '>=', value: 900 });
    expect(r.typicalAttenuationDbMin).toEqual({ op: 'NOP', value: 0 });
  });

  it('refuses an unknown operator, a missing condition and another format_version', () => {
    const op = { ...RISK_CALCULATION_DEFAULT, DailySummary_DaySummary_ScoreSum: { op: '=>', value: 1 } };
    expect(fieldOf(() => parseRiskCalculation(op, 't'))).toMatch(
      /^DailySummary_DaySummary_ScoreSum\.op: unknown operator "=>"/,
    );
    const { ExposureWindow_ScanInstance_TypicalAttenuationDb_Max: _, ...missing } = RISK_CALCULATION_DEFAULT;
    expect(fieldOf(() => parseRiskCalculation(missing, 't'))).toMatch(/TypicalAttenuationDb_Max: missing/);
    expect(
      fieldOf(() => parseRiskCalculation({ ...RISK_CALCULATION_DEFAULT, format_version: 2 }, 't')),
    ).toMatch(/^format_version: unsupported format_version 2/);
  });
});

describe('parseXamarinConfiguration', () => {
  it('reads the PascalCase members and names a wrong one', () => {
    expect(parseXamarinConfiguration(XAMARIN_DEFAULT_114, 't').minimumRiskScore).toBe(21);
    expect(
      fieldOf(() => parseXamarinConfiguration({ ...XAMARIN_DEFAULT_114, DurationScores: [1] }, 't')),
    ).toBe('DurationScores: expected 8 numbers, got [1]');
  });
});
