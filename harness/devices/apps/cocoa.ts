/**
 * The COCOA builds (cocoa.md §1.2, §1.5, §1.6, §4, §5) as data plus small functions. The 1.1.4
 * Android failure is not written here: it emerges from the OS keys' TRL 0 (sent unchanged), Android's
 * TRL-0 transmission score of 1 (framework), minimum 21 and the summary gate.
 */

import type { TemporaryExposureKey } from '../../protocol/tek.js';
import type { ServerEndpoints } from '../../stack/types.js';
import type { V1Configuration } from '../framework/index.js';
import {
  CHINO_DEFAULT,
  RISK_CALCULATION_DEFAULT,
  XAMARIN_DEFAULT_113,
  XAMARIN_DEFAULT_114,
} from './builtin-defaults.js';
import {
  AppConfigError,
  parseChinoConfiguration,
  parseRiskCalculation,
  parseXamarinConfiguration,
} from './config.js';
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
import { COCOA_SUBMISSION_OUTCOMES } from './submission-outcome.js';
import type { AppTrait } from './traits.js';
import type { AppBuild, AppConfiguration, AppHttp, ConfigurationDocument, UploadContext } from './types.js';

const both = (c: V1Configuration) => ({ android: c, ios: c });

/**
 * Downloads and parses one configuration document; on any failure uses the build's default and says
 * why, so that the fallback is evidence (no silent fallback).
 */
async function loadDocument<T>(
  http: AppHttp,
  url: string,
  parse: (doc: unknown, source: string) => T,
  fallback: unknown,
): Promise<{ value: T; document: ConfigurationDocument }> {
  let why: string;
  try {
    const res = await http.request('GET', url);
    if (res.status !== 200) {
      why = `download failed: HTTP ${res.status}`;
    } else {
      let doc: unknown;
      try {
        doc = JSON.parse(res.text.replace(/^\uFEFF/, ''));
      } catch (error) {
        throw new AppConfigError(url, '(document)', `not JSON (${(error as Error).message})`);
      }
      return { value: parse(doc, url), document: { url, status: 'served' } };
    }
  } catch (error) {
    why =
      error instanceof AppConfigError
        ? `parse error at member ${error.field}: ${error.reason}`
        : `download failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return {
    value: parse(fallback, 'built-in'),
    document: { url, status: 'fallback', error: `${why}, fell back to built-in default` },
  };
}

const fileName = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

/** "…/configuration.json; …/risk_calculation_configuration.json" or "configuration configuration.json: parse error at …". */
function sourceLine(documents: readonly ConfigurationDocument[]): string {
  return documents
    .map((d) =>
      d.status === 'served'
        ? d.url
        : d.status === 'built-in'
          ? `configuration: built-in default (${fileName(d.url)} not downloaded by this build)`
          : `configuration ${fileName(d.url)}: ${d.error}`,
    )
    .join('; ');
}

/**
 * 1.x: `GET {cdn}c19r/Configration.json` (misspelt), falling back to the build's default.
 * `fetches` false models 1.1.3, which used its hard-coded default (cocoa.md §4.1) [UNVERIFIED whether
 * 1.1.3 also downloaded the file].
 */
function xamarinConfiguration(fallback: Record<string, unknown>, fetches: boolean) {
  return async (server: ServerEndpoints, http: AppHttp): Promise<AppConfiguration> => {
    const url = cdnUrl(server, `${server.blobContainer}/Configration.json`);
    if (!fetches) {
      const documents = [{ url, status: 'built-in' as const }];
      return {
        v1: both(parseXamarinConfiguration(fallback, 'built-in')),
        documents,
        source: sourceLine(documents),
      };
    }
    const { value, document } = await loadDocument(http, url, parseXamarinConfiguration, fallback);
    return { v1: both(value), documents: [document], source: sourceLine([document]) };
  };
}

/** The installation's registration: POST /register the first time only (AppInstallation). */
async function registration(ctx: UploadContext): Promise<{ userUuid: string; secret?: string }> {
  const kept = ctx.installation?.registration;
  if (kept) return kept;
  const reg = await ctx.http.request('POST', apiUrl(ctx.server, 'register'));
  if (reg.status !== 200)
    throw Object.assign(new Error(`register: HTTP ${reg.status}`), { status: reg.status });
  const fresh = JSON.parse(reg.text) as { userUuid: string; secret?: string };
  if (ctx.installation) ctx.installation.registration = fresh;
  return fresh;
}

/** v1 body (≤1.2.1): userUuid from /register (once per installation), transmissionRisk = the OS key's TRL, keys ≤ 14 days. */
async function prepareV1(keys: readonly TemporaryExposureKey[], ctx: UploadContext) {
  const { userUuid, secret } = await registration(ctx);
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
/** Builds that GET their exposure configuration (all but 1.1.3, see xamarinConfiguration). */
const DOWNLOADS: AppTrait = 'downloads-exposure-configuration';

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
  // One key per submit screen, reused on retries (cocoa.md §1.2); a fresh one without a screen.
  const idempotencyKey = ctx.screen?.idempotencyKey ?? guid(ctx.random);
  if (ctx.screen) ctx.screen.idempotencyKey = idempotencyKey;
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
      idempotency_key: idempotencyKey,
      padding: padding(ctx.random),
    },
  };
}

/**
 * The 1.x builds against COCOA's code as cocoa.md §1.2, §1.6 and §4.1 describe it. Modelled as
 * described: keys ≤ 14 days with the OS TRL (≤1.2.1) or since diagnosis − 3 days without TRL (1.2.2);
 * HighestRiskScore = Android maximumRiskScore / iOS maximumRiskScoreFullRange; the 1.1.4 summary gate
 * then every item; the 1.2.2 per-item filter. Where ichiren differs, on purpose:
 * - Configration.json is parsed strictly (config.ts): a missing or mistyped member makes the build use
 *   its whole default and record why. COCOA's Newtonsoft would keep the Xamarin default of only that
 *   member, silently.
 * - 1.1.3 does not download Configration.json at all [UNVERIFIED, see xamarinConfiguration].
 * - "Notified" is the exposure count becoming > 0, i.e. the ContactedNotifyPage the user sees; 1.x's
 *   own local notification on Android is UNVERIFIED (cocoa.md §4.1 "UI") and not modelled.
 * - Exposures are kept in the phone's memory for the run, not in Properties / SecureStorage.
 */
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
    traits: fetches ? [...traits, DOWNLOADS] : traits,
    saveLastProcessedOnlyAfterSuccess: false,
    submissionOutcomes: COCOA_SUBMISSION_OUTCOMES,
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

/** 2.x (Chino): configuration.json and risk_calculation_configuration.json, each with its own fallback. */
async function chinoConfiguration(server: ServerEndpoints, http: AppHttp): Promise<AppConfiguration> {
  const base = cdnUrl(server, `${server.blobContainer}/exposure_configuration/`);
  const chino = await loadDocument(http, `${base}configuration.json`, parseChinoConfiguration, CHINO_DEFAULT);
  const risk = await loadDocument(
    http,
    `${base}risk_calculation_configuration.json`,
    parseRiskCalculation,
    RISK_CALCULATION_DEFAULT,
  );
  const documents = [chino.document, risk.document];
  return {
    v1: { android: chino.value.androidV1, ios: chino.value.iosV1 },
    v2: {
      mapping: chino.value.mapping,
      android: chino.value.android,
      ios: chino.value.ios,
      riskCalculation: risk.value,
    },
    documents,
    source: sourceLine(documents),
  };
}

export const COCOA_2_X: AppBuild = {
  id: 'cocoa-2.x',
  description:
    'EN v2 (legacy v1 where the OS lacks windows); /v3/diagnosis; high-risk day by risk_calculation_configuration.json (published: ScoreSum ≥ 1350 and SecondsSinceLastScanSum ≥ 900)',
  enApi: 2,
  // The v3 upload carries the onset date; the DSOS mapping gives keys before onset − 3 days no weight.
  traits: ['infectious-period-keys-only', DOWNLOADS, 'retries-failed-batches'],
  saveLastProcessedOnlyAfterSuccess: true,
  submissionOutcomes: COCOA_SUBMISSION_OUTCOMES,
  prepareUpload: prepareV3,
  fetchConfiguration: chinoConfiguration,
  decide(output, config, nowEpochSeconds) {
    // Legacy-v1 path: MaximumRiskScore ≥ min, then items with TotalRiskScore ≥ min (cocoa.md §4.2),
    // min being GoogleExposureConfig.MinimumRiskScore on both platforms (ExposureDetectionService:
    // `exposureConfiguration.GoogleExposureConfig.MinimumRiskScore`; COCOA's unit test
    // ExposureDetected_ExposureInformationHighRiskExposureNotDetected sets only that member).
    if (output.kind === 'v1')
      return decideV1(output, config, {
        summaryGate: true,
        perItemFilter: true,
        minimumFrom: 'android',
      });
    return decideV2(output, config, nowEpochSeconds);
  },
};
