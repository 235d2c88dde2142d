/**
 * An app build as a plug-in: how it uploads, which configuration it fetches, and how it decides to
 * notify from what the framework returned. Builds are data plus small functions (cocoa.md §1, §4);
 * no outcome is keyed on a version name.
 */
import type { TemporaryExposureKey } from '../../protocol/tek.js';
import type { ServerEndpoints } from '../../stack/types.js';
import type {
  DailySummariesConfig,
  DiagnosisKeysDataMapping,
  IosExposureConfigurationV2,
  V1Configuration,
  V1Detection,
  V2Detection,
} from '../framework/index.js';
import type { Platform } from '../types.js';
import type { RiskCalculationConfiguration } from './config.js';
import type { SubmissionOutcomes } from './submission-outcome.js';

/** How a configuration document came to be used: downloaded and parsed, or the build's own default. */
export type ConfigurationStatus =
  /** Downloaded and parsed. */
  | 'served'
  /** Download or parse failed; the build's hard-coded default was used instead. */
  | 'fallback'
  /** The build does not download this document (it always uses its default). */
  | 'built-in';

export interface ConfigurationDocument {
  readonly url: string;
  readonly status: ConfigurationStatus;
  /** Why it fell back, e.g. "parse error at member google_exposure_config.minimum_risk_score: …". */
  readonly error?: string;
}

/** What an app fetched (or fell back to) before a check. */
export interface AppConfiguration {
  /** EN v1 / legacy-v1 configuration each platform's framework is given (2.x: google_ / apple_ sections). */
  readonly v1: Readonly<Record<Platform, V1Configuration>>;
  /** EN v2 parts, for builds that use ExposureWindows. */
  readonly v2?: {
    /** Android: google_diagnosis_keys_data_mapping_config; iOS: apple_exposure_config_v2's mapping members. */
    readonly mapping: Readonly<Record<Platform, DiagnosisKeysDataMapping>>;
    readonly android: DailySummariesConfig;
    readonly ios: IosExposureConfigurationV2;
    /** risk_calculation_configuration.json (cocoa.md §1.6). */
    readonly riskCalculation: RiskCalculationConfiguration;
  };
  /** Each document the build reads, and whether the served one was used. */
  readonly documents: readonly ConfigurationDocument[];
  /** One line for reports: the URLs used, or "configuration: parse error at member X, fell back to built-in default". */
  readonly source: string;
}

export interface UploadContext {
  readonly platform: Platform;
  readonly processingNumber: string;
  readonly nowEpochSeconds: number;
  readonly diagnosisDate?: string;
  readonly hasSymptom?: boolean;
  readonly server: ServerEndpoints;
  /** Seeded bytes for padding and GUIDs. */
  readonly random: (n: number) => Uint8Array;
  /** The app's HTTP client (adds x-functions-key). */
  readonly http: AppHttp;
  /** The submit screen this attempt is made on: its state outlives a failed attempt (retries). */
  readonly screen?: SubmitScreen;
  /** What the app keeps for as long as it is installed. */
  readonly installation?: AppInstallation;
}

/**
 * What the app stores once per installation. 1.x registers at most once and keeps its `userUuid`
 * and `secret` (cocoa.md §1.1: the userUuid the app sends with every upload), so a retry of a
 * submission carries the same userUuid.
 */
export interface AppInstallation {
  registration?: { readonly userUuid: string; readonly secret?: string };
}

/**
 * The app's submit screen, kept by the phone from the first attempt until one is accepted. 2.x makes
 * one idempotency_key per screen and reuses it on retries (cocoa.md §1.2).
 */
export interface SubmitScreen {
  idempotencyKey?: string;
}

export interface PreparedUpload {
  /** Path below apiUrlBase, e.g. "diagnosis". */
  readonly endpoint: string;
  readonly keys: readonly TemporaryExposureKey[];
  /** TRLs put in the body (v1 only). */
  readonly transmissionRiskLevels: readonly number[];
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface AppHttp {
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Readonly<Record<string, string>>,
  ): Promise<{ status: number; text: string }>;
}

/** Framework output the app sees, by detection path. */
export type FrameworkOutput = V1Detection | V2Detection;

export interface AppDecision {
  readonly mode: 'v1' | 'v2';
  readonly value: number;
  readonly threshold: number;
  readonly passed: boolean;
  readonly explanation: string;
  /** Exposure records the app stores from this check (ExposureInformation items or high-risk days). */
  readonly stored: readonly Readonly<Record<string, unknown>>[];
  /** The build's own rule for alerting, when it has one apart from storing (vendor builds). */
  readonly notified?: boolean;
  readonly reason?: string;
}

/**
 * What the user sees after a check: the notification and the count on the contact screen. Observed
 * apart from the decision, so a build that decides right but shows nothing breaks at notify.
 */
export interface NotificationState {
  readonly shown: boolean;
  /** Exposures on the app's contact screen. */
  readonly exposureCount: number;
  readonly reason: string;
}

export interface AppBuild {
  readonly id: string;
  readonly description: string;
  /**
   * EN API the build uses when the OS offers it: 1 (ExposureConfiguration) or 2 (ExposureWindow;
   * falls back to legacy v1 where the OS lacks v2, cocoa.md §4.2).
   */
  readonly enApi: 1 | 2;
  /** Behaviours the build claims, for scenario applicability only (traits.ts). */
  readonly traits?: readonly string[];
  /** list.json bookkeeping (cocoa.md §1.5): 2.x saves the max `created` only after a successful check. */
  readonly saveLastProcessedOnlyAfterSuccess: boolean;
  /** How the user reads each answer to the submission (default COCOA_SUBMISSION_OUTCOMES). */
  readonly submissionOutcomes?: SubmissionOutcomes;
  /** Builds the diagnosis submission from the OS's keys (may call the server, e.g. /register). */
  prepareUpload(keys: readonly TemporaryExposureKey[], ctx: UploadContext): Promise<PreparedUpload>;
  /** Fetches the exposure configuration; falls back to the build's hard-coded default. */
  fetchConfiguration(server: ServerEndpoints, http: AppHttp): Promise<AppConfiguration>;
  /** The app's decision on one check's framework output. */
  decide(output: FrameworkOutput, config: AppConfiguration, nowEpochSeconds: number): AppDecision;
  /**
   * The user-visible outcome of a decision, given every exposure the app now holds; default
   * presentNotification (notification.ts). A build that suppresses or loses notifications says so here.
   */
  present?(
    decision: AppDecision,
    exposures: readonly Readonly<Record<string, unknown>>[],
    nowEpochSeconds: number,
  ): NotificationState;
}
