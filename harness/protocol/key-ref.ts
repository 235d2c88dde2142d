/**
 * A name for a TEK that evidence can print and compare without carrying the key itself: its rolling
 * start date (UTC, gaen.md §2) and the first 8 hex digits of SHA-256 over the key data. Two evidence
 * sources (the phone that heard RPIs, the upload, an export) agree on a key when the hashes agree.
 */
import { createHash } from 'node:crypto';

export interface KeyRef {
  readonly rollingStartIntervalNumber: number;
  /** First 8 hex digits of SHA-256(keyData). */
  readonly hash: string;
  /** The key's rolling period as that source holds it (an export's: when its broadcast ended). */
  readonly rollingPeriod?: number;
}

export function keyRef(key: {
  readonly keyData: Uint8Array;
  readonly rollingStartIntervalNumber: number;
  readonly rollingPeriod?: number;
}): KeyRef {
  return {
    rollingStartIntervalNumber: key.rollingStartIntervalNumber,
    hash: createHash('sha256').update(key.keyData).digest('hex').slice(0, 8),
    ...(key.rollingPeriod === undefined ? {} : { rollingPeriod: key.rollingPeriod }),
  };
}

/** Unix ms at which the key's rolling period ends (its last interval's end), when the period is known. */
export function keyPeriodEndMs(k: KeyRef): number | undefined {
  return k.rollingPeriod === undefined
    ? undefined
    : (k.rollingStartIntervalNumber + k.rollingPeriod) * 600_000;
}

/** "2026-11-28 #1a2b3c4d": the rolling start's UTC date and the short hash. */
export function keyRefText(k: KeyRef): string {
  return `${new Date(k.rollingStartIntervalNumber * 600_000).toISOString().slice(0, 10)} #${k.hash}`;
}
