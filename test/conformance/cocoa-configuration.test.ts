/**
 * Every COCOA configuration file in the peer data (published files and the fixtures COCOA's unit tests
 * load) parsed by the parser ichiren's builds use, and every member compared value by value with what
 * the parser hands the app and the simulated OS. A member of the file that ichiren does not read fails
 * the test: COCOA (Chino, Newtonsoft) reads them all.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ChinoConfiguration,
  INFECTIOUSNESS_NAMES,
  parseChinoConfiguration,
  parseRiskCalculation,
  parseXamarinConfiguration,
  REPORT_TYPE_NAMES,
  RISK_MEMBERS,
  type RiskCalculationConfiguration,
} from '../../harness/devices/apps/config.js';
import type { V1Configuration } from '../../harness/devices/framework/index.js';
import { reference, titled } from '../reference-data.js';

const cocoa = reference('cocoa-peer-data');
type Json = Record<string, unknown>;

/** Leaf members of a document as dotted paths; arrays are leaves, objects are walked. */
function leaves(o: unknown, path = ''): [string, unknown][] {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return [[path, o]];
  return Object.entries(o).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
}

const files = (dir: string): string[] =>
  cocoa.available
    ? readdirSync(join(cocoa.path, dir))
        .filter((f) => f.endsWith('.json'))
        .map((f) => `${dir}/${f}`)
    : [];

/** Which parser a file is for, by its top-level members (the file names are not uniform). */
function kind(doc: Json): 'chino' | 'risk' | 'xamarin' {
  if ('google_exposure_config' in doc) return 'chino';
  if ('format_version' in doc) return 'risk';
  if ('MinimumRiskScore' in doc) return 'xamarin';
  throw new Error(`unrecognised configuration: ${Object.keys(doc).join(', ')}`);
}

// ----------------------------------------------------------------- where each member ends up

const V1_FIELDS: Record<string, keyof V1Configuration> = {
  minimum_risk_score: 'minimumRiskScore',
  attenuation_scores: 'attenuationScores',
  days_since_last_exposure_scores: 'daysSinceLastExposureScores',
  duration_scores: 'durationScores',
  transmission_risk_scores: 'transmissionRiskScores',
  duration_at_attenuation_thresholds: 'durationAtAttenuationThresholds',
  attenuation_weight: 'attenuationWeight',
  days_since_last_exposure_weight: 'daysSinceLastExposureWeight',
  duration_weight: 'durationWeight',
  transmission_risk_weight: 'transmissionRiskWeight',
};

const APPLE_V1_FIELDS: Record<string, keyof V1Configuration> = {
  minimum_risk_score: 'minimumRiskScore',
  minimum_risk_score_full_range: 'minimumRiskScoreFullRange',
  attenuation_level_values: 'attenuationScores',
  days_since_last_exposure_level_values: 'daysSinceLastExposureScores',
  duration_level_values: 'durationScores',
  transmission_risk_level_values: 'transmissionRiskScores',
};

const APPLE_V2_FIELDS: Record<string, string> = {
  attenuation_duration_thresholds: 'attenuationDurationThresholds',
  immediate_duration_weight: 'immediateDurationWeight',
  near_duration_weight: 'nearDurationWeight',
  medium_duration_weight: 'mediumDurationWeight',
  other_duration_weight: 'otherDurationWeight',
  infectiousness_standard_weight: 'infectiousnessStandardWeight',
  infectiousness_high_weight: 'infectiousnessHighWeight',
  report_type_confirmed_test_weight: 'reportTypeConfirmedTestWeight',
  report_type_confirmed_clinical_diagnosis_weight: 'reportTypeConfirmedClinicalDiagnosisWeight',
  report_type_self_reported_weight: 'reportTypeSelfReportedWeight',
  report_type_recursive_weight: 'reportTypeRecursiveWeight',
  DaysSinceLastExposureThreshold: 'daysSinceLastExposureThreshold',
};

const DAILY_SUMMARIES_FIELDS: Record<string, string> = {
  attenuation_bucket_threshold_db: 'attenuationBucketThresholdDb',
  attenuation_bucket_weights: 'attenuationBucketWeights',
  days_since_exposure_threshold: 'daysSinceExposureThreshold',
  minimum_window_score: 'minimumWindowScore',
};

const MAPPING_FIELDS: Record<string, 'infectiousnessWhenDaysSinceOnsetMissing' | 'reportTypeWhenMissing'> = {
  infectiousness_when_days_since_onset_missing: 'infectiousnessWhenDaysSinceOnsetMissing',
  report_type_when_missing: 'reportTypeWhenMissing',
  report_type_none_map: 'reportTypeWhenMissing',
};

const DSOS = 'infectiousness_for_days_since_onset_of_symptoms';

/**
 * What the parsed configuration holds for one member path of configuration.json — i.e. what the
 * app or the OS is given for it — or `undefined` with `unread` when ichiren does not read it.
 */
function chinoValue(c: ChinoConfiguration, path: string): { value?: unknown; unread?: true } {
  const [section, member, key] = path.split('.') as [string, string, string | undefined];
  const field = (table: Record<string, string>, target: object) =>
    member in table && key === undefined
      ? { value: (target as Record<string, unknown>)[table[member] as string] }
      : { unread: true as const };
  switch (section) {
    case 'google_exposure_config':
      return field(V1_FIELDS, c.androidV1);
    case 'apple_exposure_config_v1':
      return field(APPLE_V1_FIELDS, c.iosV1);
    case 'google_diagnosis_keys_data_mapping_config':
    case 'apple_exposure_config_v2': {
      const platform = section === 'google_diagnosis_keys_data_mapping_config' ? 'android' : 'ios';
      const mapping = c.mapping[platform];
      if (member === DSOS && key !== undefined)
        return { value: mapping.daysSinceOnsetToInfectiousness[Number(key)] };
      if (member in MAPPING_FIELDS && key === undefined)
        return { value: mapping[MAPPING_FIELDS[member] as keyof typeof mapping] };
      return platform === 'ios' ? field(APPLE_V2_FIELDS, c.ios) : { unread: true };
    }
    case 'google_daily_summaries_config':
      if (member === 'report_type_weights' && key !== undefined)
        return {
          value: c.android.reportTypeWeights[REPORT_TYPE_NAMES[key as keyof typeof REPORT_TYPE_NAMES]],
        };
      if (member === 'infectiousness_weights' && key !== undefined)
        return {
          value:
            c.android.infectiousnessWeights[INFECTIOUSNESS_NAMES[key as keyof typeof INFECTIOUSNESS_NAMES]],
        };
      return field(DAILY_SUMMARIES_FIELDS, c.android);
    default:
      return { unread: true };
  }
}

const XAMARIN_FIELDS: Record<string, keyof V1Configuration> = {
  MinimumRiskScore: 'minimumRiskScore',
  AttenuationScores: 'attenuationScores',
  DaysSinceLastExposureScores: 'daysSinceLastExposureScores',
  DurationScores: 'durationScores',
  TransmissionRiskScores: 'transmissionRiskScores',
  DurationAtAttenuationThresholds: 'durationAtAttenuationThresholds',
  AttenuationWeight: 'attenuationWeight',
  TransmissionWeight: 'transmissionRiskWeight',
  DurationWeight: 'durationWeight',
  DaysSinceLastExposureWeight: 'daysSinceLastExposureWeight',
};

function riskValue(r: RiskCalculationConfiguration, path: string): { value?: unknown; unread?: true } {
  if (path === 'format_version') return { value: r.formatVersion };
  const [member, part] = path.split('.');
  const measure = Object.entries(RISK_MEMBERS).find(([, m]) => m === member)?.[0] as
    | keyof typeof RISK_MEMBERS
    | undefined;
  if (!measure || (part !== 'op' && part !== 'value')) return { unread: true };
  return { value: r[measure][part] };
}

// ----------------------------------------------------------------- the tests

const ALL = [...files('published-config'), ...files('unit-test-fixtures')];

describe.skipIf(!cocoa.available)(
  titled(cocoa, "COCOA's configuration files through ichiren's parsers"),
  () => {
    it('finds the 10 files of the peer data (4 published, 6 unit-test fixtures)', () => {
      expect(files('published-config')).toHaveLength(4);
      expect(files('unit-test-fixtures')).toHaveLength(6);
    });

    for (const file of ALL) {
      it(`${file}: parses, and every member equals what the app and OS are given`, () => {
        const doc = cocoa.json<Json>(file);
        const k = kind(doc);
        const parsed =
          k === 'chino'
            ? parseChinoConfiguration(doc, file)
            : k === 'risk'
              ? parseRiskCalculation(doc, file)
              : parseXamarinConfiguration(doc, file);
        const members = leaves(doc);
        expect(members.length).toBeGreaterThan(5);
        for (const [path, expected] of members) {
          const got: { value?: unknown; unread?: true } =
            k === 'chino'
              ? chinoValue(parsed as ChinoConfiguration, path)
              : k === 'risk'
                ? riskValue(parsed as RiskCalculationConfiguration, path)
                : path in XAMARIN_FIELDS
                  ? { value: (parsed as V1Configuration)[XAMARIN_FIELDS[path] as keyof V1Configuration] }
                  : { unread: true };
          expect({ path, read: !got.unread, value: got.value }).toEqual({
            path,
            read: true,
            value: expected,
          });
        }
      });
    }

    it('iOS reads the Apple sections: the Cappuccino test slot has different Google and Apple maps', () => {
      const c = parseChinoConfiguration(
        cocoa.json<Json>('published-config/Cappuccino-test-configuration_slot1.json'),
        'slot1',
      );
      expect(c.mapping.android.daysSinceOnsetToInfectiousness[-14]).toBe(0);
      expect(c.mapping.ios.daysSinceOnsetToInfectiousness[-14]).toBe(1);
      expect(c.mapping.android.infectiousnessWhenDaysSinceOnsetMissing).toBe(1);
      expect(c.iosV1.transmissionRiskScores).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
    });
  },
);
