/**
 * The contract between the simulated phones and the runner. The runner builds a World, adds phones,
 * plays encounters on the simulated clock, and asks phones to upload and to check for exposures;
 * phones reach the servers only over HTTP (ServerEndpoints), like phones.
 */

import type { KeyRef } from '../protocol/key-ref.js';
import type { ServerEndpoints } from '../stack/types.js';
import type { UploadOutcome } from './apps/submission-outcome.js';

export type Platform = 'android' | 'ios';

/** Where a phone sits during an encounter; shifts the path-loss model (gaen.md §6). */
export type Environment = 'open-air' | 'office' | 'home' | 'restaurant' | 'train' | 'bus';

export interface DeviceProfile {
  readonly id: string;
  readonly platform: Platform;
  /** e.g. "13.5", "14.4" (iOS) or "10", "11" (Android). Decides which EN API generation is available. */
  readonly osVersion: string;
  /** EN API the app uses: 1 (ExposureConfiguration/ExposureInformation) or 2 (ExposureWindow). */
  readonly enVersion: 1 | 2;
  /** Device model name as in the calibration table, e.g. "Pixel 4", "iPhone 11". */
  readonly model: string;
  /** App build id ("cocoa-1.1.4", …) or a vendor module path. */
  readonly app: string;
  /** Battery optimisation or similar that stops the app's periodic background check. */
  readonly backgroundCheckRuns: boolean;
  /** Phone clock minus true time, seconds. */
  readonly clockSkewSeconds: number;
  /** The unit's true radio hardware where it differs from the defaults (radio/hardware.ts). */
  readonly hardware?: Partial<RadioHardware>;
}

/**
 * A phone's true radio hardware. The calibration table is Google's estimate of the first two for a
 * model; when the table is wrong for this unit (or lacks the model) attenuation is off by the difference.
 */
export interface RadioHardware {
  /** dB the chipset truly reads low against the reference phone (the correction it would need). */
  readonly rssiOffsetDb: number;
  /** dBm it would need to advertise in the AEM for attenuation to equal path loss. */
  readonly txPowerDbm: number;
  /** dBm it radiates: the link budget's transmit side. */
  readonly radiatedPowerDbm: number;
  /** The weakest received power it still demodulates, dBm. */
  readonly sensitivityDbm: number;
}

/** How a receiver's attenuation relates to path loss: table values against true hardware. */
export interface CalibrationEvidence {
  readonly senderModel: string;
  readonly receiverModel: string;
  /** TX power the sender's AEM carries (its table row) and the TX its hardware would need, dBm. */
  readonly advertisedTxDbm: number;
  readonly trueTxDbm: number;
  /** Correction the receiver's OS adds (table, for its own model), how it was matched, and the true offset. */
  readonly tableCorrectionDb: number;
  readonly correctionMatchedBy: string;
  readonly trueOffsetDb: number;
  /** attenuation − path loss = (advertised − true TX) + (true offset − table correction), dB. */
  readonly attenuationErrorDb: number;
}

export interface EncounterSpec {
  readonly a: string;
  readonly b: string;
  /** Simulated start, Unix seconds. */
  readonly startEpochSeconds: number;
  readonly durationSeconds: number;
  readonly distanceM: number;
  readonly environment: Environment;
  /** Extra attenuation from bodies/bags between the phones, dB (0 = line of sight). */
  readonly bodyShadowingDb?: number;
  /** Exact radio: each receiver's scans are scripted (harness/devices/scripted-scans.ts), not simulated. */
  readonly scripted?: import('./scripted-scans.js').ScriptedScans;
}

/** Link 1 evidence: what each phone heard of the other. */
export interface ContactEvidence {
  readonly a: string;
  readonly b: string;
  /** Sightings recorded by b of a's RPIs and by a of b's. */
  readonly sightingsAtB: number;
  readonly sightingsAtA: number;
  /** Distinct RPIs each side recorded. */
  readonly distinctRpisAtB: number;
  readonly distinctRpisAtA: number;
  /** The sender's keys whose RPIs each side recorded (b heard a's keys; a heard b's). */
  readonly keysHeardAtB: readonly KeyRef[];
  readonly keysHeardAtA: readonly KeyRef[];
  /** Attenuation (TX power − calibrated RSSI) seen at b: min / mean / max, dB. */
  readonly attenuationAtB: { readonly min: number; readonly mean: number; readonly max: number } | null;
  readonly attenuationAtA: { readonly min: number; readonly mean: number; readonly max: number } | null;
  /** Advertisements that reached each receiver's scan windows but arrived below its sensitivity. */
  readonly lostAtB?: number;
  readonly lostAtA?: number;
  /** Table values against true hardware for each direction. */
  readonly calibrationAtB?: CalibrationEvidence;
  readonly calibrationAtA?: CalibrationEvidence;
}

export interface UploadRequest {
  readonly processingNumber: string;
  /** Phone's simulated now (Unix seconds) — anchored to real now by the runner. */
  readonly nowEpochSeconds: number;
  /** Symptom onset or test date the user enters (v2/v3 apps), ISO date "YYYY-MM-DD" (JST). */
  readonly diagnosisDate?: string;
  readonly hasSymptom?: boolean;
  readonly server: ServerEndpoints;
}

/** Link 3 evidence. */
export interface UploadEvidence {
  readonly ok: boolean;
  /** API generation the app used: "diagnosis", "v2/diagnosis" or "v3/diagnosis". */
  readonly endpoint: string;
  readonly httpStatus: number | null;
  readonly keysSubmitted: number;
  /** The keys the app put in the request, named by rolling start and short hash. */
  readonly keys: readonly KeyRef[];
  /** The keys the app put in the body, as the receiver's match will name them. */
  readonly submittedKeys?: readonly {
    readonly keyHex: string;
    readonly rollingStartIntervalNumber: number;
    readonly rollingPeriod: number;
  }[];
  /** Transmission risk levels the app put in the body (v1 only), for the evidence line. */
  readonly transmissionRiskLevels: readonly number[];
  /** What the app showed the user (e.g. "processing number incorrect or expired"). */
  readonly appMessage: string;
  /** What that message tells the user to do (apps/submission-outcome.ts): done, new number, try later. */
  readonly outcome: UploadOutcome;
  readonly error?: string;
}

export interface DetectionRequest {
  readonly nowEpochSeconds: number;
  readonly server: ServerEndpoints;
  /** True when the harness triggers the check even if the phone's background check would not run. */
  readonly forced?: boolean;
}

/** Links 5–8 evidence from one exposure check. */
export interface DetectionEvidence {
  /** False when the check did not run at all (e.g. background restriction, quota). */
  readonly ran: boolean;
  readonly notRunReason?: string;
  /**
   * The exposure configuration the app used for this check: 'served' when every document it reads was
   * downloaded and parsed, 'fallback' when one fell back to the build's default (source says why),
   * 'built-in' when the build downloads none. Absent when the check did not get that far.
   */
  readonly configuration?: {
    readonly status: 'served' | 'fallback' | 'built-in';
    readonly source: string;
  };
  readonly download: {
    readonly ok: boolean;
    readonly listEntries: number;
    readonly filesFetched: number;
    readonly keysDownloaded: number;
    readonly signatureVerified: boolean;
    /** Each file this check fetched (list.json `url`) and whether the OS verified its signature. */
    readonly files: readonly {
      readonly url: string;
      readonly verified: boolean;
      /** Why the OS did not take the file in (framework FileRejectCode), when it did not. */
      readonly rejectedAs?: string;
    }[];
    readonly error?: string;
  };
  readonly match: {
    readonly matchedKeyCount: number;
    /** Matched keys' transmission risk levels / report types as the file carried them. */
    readonly matchedTransmissionRiskLevels: readonly number[];
  };
  /** What the framework returned and what the app compared it with. */
  readonly score: {
    /** "v1" or "v2". */
    readonly mode: 'v1' | 'v2';
    /** v1: ExposureSummary.maximumRiskScore (iOS: full range). v2: best day's ScoreSum. */
    readonly value: number;
    /** The threshold the app applied (v1 minimumRiskScore; v2 ScoreSum threshold). */
    readonly threshold: number;
    readonly passed: boolean;
    /** Human explanation, e.g. "TRL 0 → Android transmission score 1; best 8×1×1×1 = 8 < 21". */
    readonly explanation: string;
    /** Raw framework output (summary, informations / windows, daily summaries), serialisable. */
    readonly raw: Readonly<Record<string, unknown>>;
  };
  readonly notify: {
    readonly notified: boolean;
    /** Exposures the app stored / shows (count on the contact screen). */
    readonly exposureCount: number;
    readonly reason: string;
  };
}
