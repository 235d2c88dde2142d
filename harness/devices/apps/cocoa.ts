/**
 * The COCOA builds (cocoa.md §1.2, §1.5, §1.6, §4, §5) as data plus small functions. The 1.1.4
 * Android failure is not written here: it emerges from the OS keys' TRL 0 (sent unchanged), Android's
 * TRL-0 transmission score of 1 (framework), minimum 21 and the summary gate.
 */

import type { TemporaryExposureKey } from '../../protocol/tek.js';
import type { ServerEndpoints } from '../../stack/types.js';
import type { V1Configuration } from '../framework/index.js';
import { parseChinoConfiguration, parseRiskCalculation, parseXamarinConfiguration } from './config.js';
import { decideV1, decideV2, type V1Policy } from './decide.js';
import { apiUrl, cdnUrl } from './http.js';
import {
  APP_PACKAGE_NAME,
  deviceVerificationPayload,
  guid,
  jstDate,
  keyData,
  keysNewerThanDays,
  keysSinceDiagnosisMinusDays,
  padding,
} from './submission.js';
import type { AppTrait } from './traits.js';
import type { AppBuild, AppConfiguration, AppHttp, UploadContext } from './types.js';

/** Hard-coded default of 1.1.4–1.4.0 (cocoa.md §1.6). */
const XAMARIN_DEFAULT_114 = {
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
const XAMARIN_DEFAULT_113 = {
  ...XAMARIN_DEFAULT_114,
  MinimumRiskScore: 1,
  AttenuationScores: [0, 0, 0, 0, 1, 1, 1, 1],
};

const both = (c: V1Configuration) => ({ android: c, ios: c });

async function getJson(http: AppHttp, url: string): Promise<unknown> {
  const res = await http.request('GET', url);
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return JSON.parse(res.text);
}

/**
 * 1.x: `GET {cdn}c19r/Configration.json` (misspelt), falling back to the build's default.
 * `fetches` false models 1.1.3, which used its hard-coded default (cocoa.md §4.1) [UNVERIFIED whether
 * 1.1.3 also downloaded the file].
 */
function xamarinConfiguration(fallback: Record<string, unknown>, fetches: boolean) {
  return async (server: ServerEndpoints, http: AppHttp): Promise<AppConfiguration> => {
    const url = cdnUrl(server, `${server.blobContainer}/Configration.json`);
    if (fetches) {
      try {
        return { v1: both(parseXamarinConfiguration(await getJson(http, url), url)), source: url };
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return { v1: both(parseXamarinConfiguration(fallback, 'built-in')), source: `fallback: ${why}` };
      }
    }
    return { v1: both(parseXamarinConfiguration(fallback, 'built-in')), source: 'built-in default' };
  };
}

/** v1 body (≤1.2.1): userUuid from /register, transmissionRisk = the OS key's TRL, keys ≤ 14 days. */
async function prepareV1(keys: readonly TemporaryExposureKey[], ctx: UploadContext) {
  const reg = await ctx.http.request('POST', apiUrl(ctx.server, 'register'));
  if (reg.status !== 200)
    throw Object.assign(new Error(`register: HTTP ${reg.status}`), { status: reg.status });
  const { userUuid, secret } = JSON.parse(reg.text) as { userUuid: string; secret?: string };
  const sent = keysNewerThanDays(keys, ctx.nowEpochSeconds, 14);
  const trls = sent.map((k) => k.transmissionRiskLevel ?? 0);
  return {
    endpoint: 'diagnosis',
    keys: sent,
    transmissionRiskLevels: trls,
    headers: secret ? { authorization: `Bearer ${secret}` } : undefined,
    body: {
      userUuid,
      keys: sent.map((k, i) => ({
        keyData: keyData(k),
        rollingStartNumber: k.rollingStartIntervalNumber,
        rollingPeriod: k.rollingPeriod,
        transmissionRisk: trls[i],
      })),
      regions: [ctx.server.region],
      platform: ctx.platform,
      deviceVerificationPayload: deviceVerificationPayload(ctx),
      appPackageName: APP_PACKAGE_NAME,
      verificationPayload: ctx.processingNumber,
      padding: padding(ctx.random),
    },
  };
}

/** What prepareV2's key filter gives a build (traits.ts). */
const V2_UPLOAD_TRAITS: readonly AppTrait[] = ['infectious-period-keys-only'];

/** v2 body (1.2.2–1.4.x): no userUuid, no transmissionRisk; keys since diagnosis date − 3 days. */
async function prepareV2(keys: readonly TemporaryExposureKey[], ctx: UploadContext) {
  const sent = keysSinceDiagnosisMinusDays(keys, ctx, 3);
  return {
    endpoint: 'v2/diagnosis',
    keys: sent,
    transmissionRiskLevels: [],
    body: {
      keys: sent.map((k) => ({
        keyData: keyData(k),
        rollingStartNumber: k.rollingStartIntervalNumber,
        rollingPeriod: k.rollingPeriod,
      })),
      regions: [ctx.server.region],
      platform: ctx.platform,
      deviceVerificationPayload: deviceVerificationPayload(ctx),
      appPackageName: APP_PACKAGE_NAME,
      verificationPayload: ctx.processingNumber,
      padding: padding(ctx.random),
    },
  };
}

/** v3 body (2.x): hasSymptom, onset/test date in JST, reportType 1, idempotency_key, ~15 days of keys. */
async function prepareV3(keys: readonly TemporaryExposureKey[], ctx: UploadContext) {
  const sent = keysNewerThanDays(keys, ctx.nowEpochSeconds, 15);
  return {
    endpoint: 'v3/diagnosis',
    keys: sent,
    transmissionRiskLevels: [],
    body: {
      hasSymptom: ctx.hasSymptom ?? true,
      // yyyy-MM-dd'T'HH:mm:ss.fffzzz in JST.
      onsetOfSymptomOrTestDate: `${jstDate(ctx)}T00:00:00.000+09:00`,
      keys: sent.map((k) => ({
        keyData: keyData(k),
        rollingStartNumber: k.rollingStartIntervalNumber,
        rollingPeriod: k.rollingPeriod,
        reportType: 1,
      })),
      regions: [ctx.server.region],
      platform: ctx.platform,
      deviceVerificationPayload: deviceVerificationPayload(ctx),
      appPackageName: APP_PACKAGE_NAME,
      verificationPayload: ctx.processingNumber,
      idempotency_key: guid(ctx.random),
      padding: padding(ctx.random),
    },
  };
}

function v1Build(
  id: string,
  description: string,
  upload: AppBuild['prepareUpload'],
  fallback: Record<string, unknown>,
  fetches: boolean,
  policy: V1Policy,
  traits: readonly AppTrait[] = [],
): AppBuild {
  return {
    id,
    description,
    enApi: 1,
    traits,
    saveLastProcessedOnlyAfterSuccess: false,
    prepareUpload: upload,
    fetchConfiguration: xamarinConfiguration(fallback, fetches),
    decide: (output, config) => {
      if (output.kind !== 'v1') throw new Error(`${id} uses EN v1 only`);
      return decideV1(output, config, policy);
    },
  };
}

export const COCOA_1_1_3 = v1Build(
  'cocoa-1.1.3',
  'EN v1; /diagnosis with OS TRL; min 1, attenuation [0,0,0,0,1,1,1,1]; stores every ExposureInformation',
  prepareV1,
  XAMARIN_DEFAULT_113,
  false,
  { summaryGate: false, perItemFilter: false },
);

export const COCOA_1_1_4 = v1Build(
  'cocoa-1.1.4',
  'EN v1; /diagnosis with OS TRL; Configration.json (fallback min 21); gate HighestRiskScore ≥ min, then all items',
  prepareV1,
  XAMARIN_DEFAULT_114,
  true,
  { summaryGate: true, perItemFilter: false },
);

export const COCOA_1_2_2 = v1Build(
  'cocoa-1.2.2',
  'EN v1; /v2/diagnosis without TRL, keys ≥ diagnosis − 3 d; gate plus per-item TotalRiskScore ≥ min',
  prepareV2,
  XAMARIN_DEFAULT_114,
  true,
  { summaryGate: true, perItemFilter: true },
  V2_UPLOAD_TRAITS,
);

const dsos: Record<string, number> = {};
for (let d = -14; d <= 14; d++) dsos[String(d)] = d >= -3 && d <= 10 ? 2 : 0;

/** Chino's built-in configuration: the reference values of cocoa.md §1.6 (2022 TR scores [0,0,7,…]). */
const CHINO_DEFAULT = {
  google_exposure_config: {
    attenuation_scores: [1, 2, 3, 4, 5, 6, 7, 8],
    days_since_last_exposure_scores: [1, 1, 1, 1, 1, 1, 1, 1],
    duration_scores: [0, 0, 0, 0, 1, 1, 1, 1],
    transmission_risk_scores: [7, 7, 7, 7, 7, 7, 7, 7],
    duration_at_attenuation_thresholds: [50, 70],
    minimum_risk_score: 21,
  },
  google_diagnosis_keys_data_mapping_config: {
    days_since_onset_to_infectiousness: dsos,
    infectiousness_when_days_since_onset_missing: 2,
    report_type_when_missing: 1,
  },
  google_daily_summaries_config: {
    attenuation_bucket_threshold_db: [46, 60, 65],
    attenuation_bucket_weights: [1.0, 2.5, 1.3, 0.01],
    days_since_exposure_threshold: 0,
    infectiousness_weights: { 1: 1.0, 2: 1.0 },
    minimum_window_score: 0,
    report_type_weights: { 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0 },
  },
  apple_exposure_config_v1: {
    attenuation_level_values: [1, 2, 3, 4, 5, 6, 7, 8],
    days_since_last_exposure_level_values: [1, 1, 1, 1, 1, 1, 1, 1],
    duration_level_values: [0, 0, 0, 0, 1, 1, 1, 1],
    transmission_risk_level_values: [0, 0, 7, 7, 7, 7, 7, 7],
    minimum_risk_score: 21,
  },
  apple_exposure_config_v2: {
    attenuation_duration_thresholds: [46, 60, 65],
    immediate_duration_weight: 100,
    near_duration_weight: 250,
    medium_duration_weight: 130,
    other_duration_weight: 1,
    infectiousness_standard_weight: 100,
    infectiousness_high_weight: 100,
    report_type_confirmed_test_weight: 100,
    report_type_confirmed_clinical_diagnosis_weight: 100,
    report_type_self_reported_weight: 100,
    report_type_recursive_weight: 100,
  },
};
const RISK_DEFAULT = { scoreSum: 1350, secondsSum: 900 };

async function chinoConfiguration(server: ServerEndpoints, http: AppHttp): Promise<AppConfiguration> {
  const base = cdnUrl(server, `${server.blobContainer}/exposure_configuration/`);
  const sources: string[] = [];
  let chino = parseChinoConfiguration(CHINO_DEFAULT, 'built-in');
  let risk = RISK_DEFAULT;
  try {
    chino = parseChinoConfiguration(
      await getJson(http, `${base}configuration.json`),
      `${base}configuration.json`,
    );
    sources.push(`${base}configuration.json`);
  } catch (error) {
    sources.push(`fallback configuration: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const url = `${base}risk_calculation_configuration.json`;
    risk = parseRiskCalculation(await getJson(http, url), url);
    sources.push(url);
  } catch (error) {
    sources.push(`fallback risk calculation: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    v1: { android: chino.androidV1, ios: chino.iosV1 },
    v2: {
      mapping: chino.mapping,
      android: chino.android,
      ios: chino.ios,
      scoreSumThreshold: risk.scoreSum,
      secondsSinceLastScanSumThreshold: risk.secondsSum,
    },
    source: sources.join('; '),
  };
}

export const COCOA_2_X: AppBuild = {
  id: 'cocoa-2.x',
  description:
    'EN v2 (legacy v1 where the OS lacks windows); /v3/diagnosis; high-risk day: ScoreSum ≥ 1350 and SecondsSinceLastScan sum ≥ 900',
  enApi: 2,
  // The v3 upload carries the onset date; the DSOS mapping gives keys before onset − 3 days no weight.
  traits: ['infectious-period-keys-only'],
  saveLastProcessedOnlyAfterSuccess: true,
  prepareUpload: prepareV3,
  fetchConfiguration: chinoConfiguration,
  decide(output, config, nowEpochSeconds) {
    // Legacy-v1 path: MaximumRiskScore ≥ 21, then items with TotalRiskScore ≥ 21 (cocoa.md §4.2).
    if (output.kind === 'v1') return decideV1(output, config, { summaryGate: true, perItemFilter: true });
    return decideV2(output, config, nowEpochSeconds);
  },
};
