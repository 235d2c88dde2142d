import { randomBytes } from 'node:crypto';
import { alignedRollingStart, enIntervalNumber, TEK_ROLLING_PERIOD } from './interval.js';

/** GAEN report types (export.proto TemporaryExposureKey.ReportType). */
export const ReportType = {
  UNKNOWN: 0,
  CONFIRMED_TEST: 1,
  CONFIRMED_CLINICAL_DIAGNOSIS: 2,
  SELF_REPORT: 3,
  RECURSIVE: 4,
  REVOKED: 5,
} as const;
export type ReportType = (typeof ReportType)[keyof typeof ReportType];

/** A Temporary Exposure Key as it travels in export files (proto2 TemporaryExposureKey). */
export interface TemporaryExposureKey {
  /** 16 bytes. */
  readonly keyData: Uint8Array;
  readonly rollingStartIntervalNumber: number;
  /** Number of 10-minute intervals the key was valid; 144 unless released early. */
  readonly rollingPeriod: number;
  /** Deprecated in the format but central to the 1.1.4 defect: 0..8, absent means 0. */
  readonly transmissionRiskLevel?: number;
  readonly reportType?: ReportType;
  readonly daysSinceOnsetOfSymptoms?: number;
}

export const TEK_LENGTH = 16;

/**
 * A new TEK for the interval containing `unixSeconds`: CSPRNG bytes, start aligned to UTC midnight
 * (gaen.md §1, TemporaryExposureKeyGenerator).
 */
export function generateTek(
  unixSeconds: number,
  random: (n: number) => Uint8Array = randomBytes,
): TemporaryExposureKey {
  return {
    keyData: random(TEK_LENGTH),
    rollingStartIntervalNumber: alignedRollingStart(enIntervalNumber(unixSeconds)),
    rollingPeriod: TEK_ROLLING_PERIOD,
  };
}

/** True when `enin` falls inside the key's validity (start ≤ enin < start + rollingPeriod). */
export function tekCovers(key: TemporaryExposureKey, enin: number): boolean {
  return enin >= key.rollingStartIntervalNumber && enin < key.rollingStartIntervalNumber + key.rollingPeriod;
}
