/**
 * The app protocol: every message between a simulated phone (its OS and EN framework) and the app it
 * runs, as zod schemas. One contract for every app: the built-in COCOA builds speak it in-process,
 * a vendor's app over JSON-RPC 2.0 on stdio (docs/app-protocol.md). The JSON Schemas in
 * schema.json are generated from these (schema.ts).
 *
 * Shapes follow the platform APIs (gaen.md §4, §5): Android ExposureSummary / ExposureInformation
 * (EN v1) and ExposureWindow / DailySummary (EN v2); iOS ENExposureDetectionSummary / ENExposureInfo
 * and the same v2 windows and day summaries.
 */
import { z } from 'zod';
import { APP_TRAITS } from '../apps/traits.js';

/** major.minor; a peer refuses an unknown major. */
export const PROTOCOL_VERSION = '1.0';

const int = z.int();
const num = z.number();
const platform = z.enum(['android', 'ios']);
const base64 = z.base64().describe('standard base64');

// ---------------------------------------------------------------- shared shapes

/** A TEK as getTekHistory returns it and as an app reports it sent (gaen.md §2). */
export const wireKey = z.object({
  keyData: base64.describe('16 bytes, base64'),
  rollingStartIntervalNumber: int,
  rollingPeriod: int,
  /** Present when the key carries one (getTekHistory) or when the app put one in its upload body. */
  transmissionRiskLevel: int.min(0).max(8).optional(),
  reportType: int.optional(),
  daysSinceOnsetOfSymptoms: int.optional(),
});
export type WireKey = z.infer<typeof wireKey>;

export const serverUrls = z.object({
  /** e.g. http://127.0.0.1:7001/api — diagnosis, register, … are below it. */
  apiUrlBase: z.string(),
  /** e.g. http://127.0.0.1:7001/ — {blobContainer}/{region}/list.json and the configuration are below it. */
  cdnUrlBase: z.string(),
  blobContainer: z.string(),
  region: z.string(),
  /** Value of the x-functions-key header every request carries. */
  apiSecret: z.string(),
});

// ---------------------------------------------------------------- ichiren → app

/** Process handshake, once per process, before anything else. */
export const initializeParams = z.object({
  protocolVersion: z.string(),
  client: z.object({ name: z.literal('ichiren'), version: z.string() }),
});
export const initializeResult = z.object({
  protocolVersion: z.string(),
  app: z.object({ name: z.string(), version: z.string().optional() }),
  /** EN API the app uses when the OS offers it: 1 (ExposureConfiguration) or 2 (ExposureWindow). */
  enApi: z.union([z.literal(1), z.literal(2)]),
  /** Behaviours the app claims (scenario applicability only, harness/devices/apps/traits.ts). */
  traits: z.array(z.enum(APP_TRAITS)).default([]),
});

/** One simulated phone starts the app. `phone` names the phone in every later message. */
export const phoneInitializeParams = z.object({
  phone: z.string(),
  platform,
  osVersion: z.string(),
  model: z.string(),
  /** EN API the OS offers to this app: 0 none, 1 v1 only, 2 ExposureWindows as well (cocoa.md §4.2). */
  enApiOffered: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  server: serverUrls,
  /** The phone's clock, Unix seconds (the run's clock plus this phone's skew). */
  nowEpochSeconds: int,
  /**
   * list.json entries up to this `created` (Unix ms) per region were processed before the scenario
   * began: the phone has been running, as a real phone has (cocoa.md §1.5).
   */
  processedUpTo: z.record(z.string(), int).default({}),
});
export const empty = z.object({});

/** The user enters a processing number and submits (cocoa.md §1.2). */
export const submitDiagnosisParams = z.object({
  phone: z.string(),
  nowEpochSeconds: int,
  processingNumber: z.string(),
  /** Symptom onset or test date the user gives, YYYY-MM-DD (JST). */
  diagnosisDate: z.string().optional(),
  hasSymptom: z.boolean().optional(),
});
export const submitDiagnosisResult = z.object({
  /** Path below apiUrlBase the app submitted to ("diagnosis", "v3/diagnosis"), or the step that failed ("register"). */
  endpoint: z.string(),
  /** The server's answer; null when none came (connection refused, timeout). */
  httpStatus: int.nullable(),
  /** The keys the app put in the request body; transmissionRiskLevel only where the body carried one. */
  submittedKeys: z.array(wireKey),
  /** What the app showed the user. */
  message: z.string(),
  /** What that message tells the user: done, needs a new number, or try again later. */
  outcome: z.enum(['accepted', 'rejected', 'retryable']),
  error: z.string().optional(),
});

/** The background task: download what is new and let the framework detect (cocoa.md §1.5). */
export const detectExposuresParams = z.object({ phone: z.string(), nowEpochSeconds: int });
export const configurationDocument = z.object({
  url: z.string(),
  status: z.enum(['served', 'fallback', 'built-in']),
  error: z.string().optional(),
});
export const detectExposuresResult = z.object({
  /** The configuration documents the app read and whether the served one was used. */
  configuration: z.object({ documents: z.array(configurationDocument), source: z.string() }),
  /** The scoring the app applied: v1 minimum risk score or v2 ScoreSum threshold. */
  mode: z.enum(['v1', 'v2']),
  threshold: num,
  download: z.object({
    listEntries: int,
    /** Each file URL the app fetched this time and handed to the framework, in order. */
    files: z.array(z.string()),
    /** Why list.json or a file could not be fetched; the framework was then not called. */
    error: z.string().optional(),
  }),
  /** The app's decision on the framework's answer; absent when it never got one. */
  decision: z
    .object({
      /** v1: the summary's highest score as the app reads it; v2: the best day's ScoreSum. */
      value: num,
      passed: z.boolean(),
      explanation: z.string(),
      /** Exposure records the app stored from this check. */
      stored: z.array(z.record(z.string(), z.unknown())),
    })
    .optional(),
  /** Exposures on the app's contact screen after this check. */
  exposureCount: int,
  /** Why the app did (not) alert, one line. */
  reason: z.string(),
});

export const phoneShutdownParams = z.object({ phone: z.string() });

// ---------------------------------------------------------------- app → ichiren (the EN framework)

export const getTekHistoryParams = z.object({ phone: z.string() });
export const getTekHistoryResult = z.object({ keys: z.array(wireKey) });

/** ExposureConfiguration (Android) / ENExposureConfiguration v1 fields (iOS), gaen.md §4. */
export const v1Configuration = z.object({
  minimumRiskScore: num,
  attenuationScores: z.array(num),
  daysSinceLastExposureScores: z.array(num),
  durationScores: z.array(num),
  transmissionRiskScores: z.array(num),
  durationAtAttenuationThresholds: z.array(num),
  minimumRiskScoreFullRange: num.optional(),
  attenuationWeight: num.optional(),
  daysSinceLastExposureWeight: num.optional(),
  durationWeight: num.optional(),
  transmissionRiskWeight: num.optional(),
});
const weights = z.record(z.string(), num);
export const diagnosisKeysDataMapping = z.object({
  daysSinceOnsetToInfectiousness: z.record(z.string(), int),
  reportTypeWhenMissing: int,
  infectiousnessWhenDaysSinceOnsetMissing: int,
});
export const dailySummariesConfig = z.object({
  kind: z.literal('android-daily-summaries'),
  reportTypeWeights: weights,
  infectiousnessWeights: weights,
  attenuationBucketThresholdDb: z.array(num),
  attenuationBucketWeights: z.array(num),
  daysSinceExposureThreshold: num,
  minimumWindowScore: num,
});
export const iosExposureConfigurationV2 = z.object({
  kind: z.literal('ios-v2'),
  immediateDurationWeight: num.optional(),
  nearDurationWeight: num.optional(),
  mediumDurationWeight: num.optional(),
  otherDurationWeight: num.optional(),
  infectiousnessStandardWeight: num.optional(),
  infectiousnessHighWeight: num.optional(),
  reportTypeConfirmedTestWeight: num.optional(),
  reportTypeConfirmedClinicalDiagnosisWeight: num.optional(),
  reportTypeSelfReportedWeight: num.optional(),
  reportTypeRecursiveWeight: num.optional(),
  attenuationDurationThresholds: z.array(num).optional(),
  daysSinceLastExposureThreshold: num.optional(),
  minimumRiskScoreFullRange: num.optional(),
});

export const provideDiagnosisKeysParams = z.object({
  phone: z.string(),
  /** Export zips (export.bin + export.sig) exactly as downloaded, base64. */
  files: z.array(base64),
  /** EN v1: ExposureConfiguration; EN v2: the mapping and the platform's v2 configuration. */
  configuration: z.union([
    z.object({ v1: v1Configuration }),
    z.object({
      v2: z.object({
        mapping: diagnosisKeysDataMapping,
        configuration: z.union([dailySummariesConfig, iosExposureConfigurationV2]),
      }),
    }),
  ]),
});

const androidExposureSummary = z.object({
  matchedKeyCount: int,
  daysSinceLastExposure: int,
  maximumRiskScore: num,
  summationRiskScore: num,
  attenuationDurationsInMinutes: z.array(num),
});
const androidExposureInformation = z.object({
  dateMillisSinceEpoch: num,
  durationMinutes: num,
  attenuationValue: num,
  transmissionRiskLevel: int,
  totalRiskScore: num,
  attenuationDurationsInMinutes: z.array(num),
});
const iosExposureDetectionSummary = z.object({
  matchedKeyCount: int,
  daysSinceLastExposure: int,
  maximumRiskScore: num,
  maximumRiskScoreFullRange: num,
  riskScoreSumFullRange: num,
  attenuationDurations: z.array(num),
});
const iosExposureInfo = z.object({
  dateMillisSinceEpoch: num,
  duration: num,
  attenuationValue: num,
  transmissionRiskLevel: int,
  totalRiskScore: num,
  totalRiskScoreFullRange: num,
  attenuationDurations: z.array(num),
});
const exposureSummaryData = z.object({ maximumScore: num, scoreSum: num, weightedDurationSum: num });
const exposureWindow = z.object({
  dateMillisSinceEpoch: num,
  reportType: int,
  infectiousness: int,
  calibrationConfidence: int,
  scanInstances: z.array(
    z.object({ typicalAttenuationDb: num, minAttenuationDb: num, secondsSinceLastScan: num }),
  ),
});
const dailySummary = z.object({
  daysSinceEpoch: int,
  dateMillisSinceEpoch: num,
  daySummary: exposureSummaryData,
  summaryByReportType: z.record(z.string(), exposureSummaryData),
});

/** What the framework answers, in the shape of the platform's own API. */
export const provideDiagnosisKeysResult = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('v1'),
    platform: z.literal('android'),
    summary: androidExposureSummary,
    informations: z.array(androidExposureInformation),
  }),
  z.object({
    kind: z.literal('v1'),
    platform: z.literal('ios'),
    summary: iosExposureDetectionSummary,
    informations: z.array(iosExposureInfo),
  }),
  z.object({
    kind: z.literal('v2'),
    platform,
    exposureWindows: z.array(exposureWindow),
    dailySummaries: z.array(dailySummary),
  }),
  /**
   * The call failed as a whole: EN_QUOTA_EXCEEDED (per-day quota), API_EXCEPTION_10 (Android: a file
   * does not verify), EN_API_NOT_AVAILABLE (the OS does not offer the API asked for).
   */
  z.object({
    kind: z.literal('failed'),
    code: z.enum(['EN_QUOTA_EXCEEDED', 'API_EXCEPTION_10', 'EN_API_NOT_AVAILABLE']),
    reason: z.string(),
  }),
]);

/** A notification the app shows the user (JSON-RPC notification, no answer). */
export const showNotificationParams = z.object({
  phone: z.string(),
  title: z.string(),
  body: z.string().optional(),
});
/** A line of the app's log, kept with the phone's evidence (JSON-RPC notification). */
export const logParams = z.object({
  phone: z.string(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
});

// ---------------------------------------------------------------- the method table

/** Requests ichiren sends the app, with their answers. */
export const APP_METHODS = {
  initialize: { params: initializeParams, result: initializeResult },
  'phone/initialize': { params: phoneInitializeParams, result: empty },
  'user/submitDiagnosis': { params: submitDiagnosisParams, result: submitDiagnosisResult },
  'background/detectExposures': { params: detectExposuresParams, result: detectExposuresResult },
  'phone/shutdown': { params: phoneShutdownParams, result: empty },
  shutdown: { params: empty, result: empty },
} as const;

/** Requests the app sends the framework, with their answers. */
export const FRAMEWORK_METHODS = {
  'en/getTekHistory': { params: getTekHistoryParams, result: getTekHistoryResult },
  'en/provideDiagnosisKeys': { params: provideDiagnosisKeysParams, result: provideDiagnosisKeysResult },
} as const;

/** Notifications the app sends (no answer). */
export const APP_NOTIFICATIONS = {
  'app/showNotification': showNotificationParams,
  'app/log': logParams,
} as const;

export type AppMethod = keyof typeof APP_METHODS;
export type FrameworkMethod = keyof typeof FRAMEWORK_METHODS;
export type AppNotification = keyof typeof APP_NOTIFICATIONS;
export type ParamsOf<M extends AppMethod> = z.input<(typeof APP_METHODS)[M]['params']>;
export type ResultOf<M extends AppMethod> = z.output<(typeof APP_METHODS)[M]['result']>;
export type FrameworkParams<M extends FrameworkMethod> = z.input<(typeof FRAMEWORK_METHODS)[M]['params']>;
export type FrameworkResult<M extends FrameworkMethod> = z.output<(typeof FRAMEWORK_METHODS)[M]['result']>;
export type NotificationParams<N extends AppNotification> = z.output<(typeof APP_NOTIFICATIONS)[N]>;
export type ProvideDiagnosisKeysResult = z.output<typeof provideDiagnosisKeysResult>;
export type SubmitDiagnosisResult = z.output<typeof submitDiagnosisResult>;
export type DetectExposuresResult = z.output<typeof detectExposuresResult>;

/** "1.0" → 1; NaN when unreadable. */
export const majorOf = (version: string): number => Number.parseInt(version.split('.')[0] ?? '', 10);
