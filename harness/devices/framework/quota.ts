/**
 * Per-day call quotas on exposure detection (gaen.md §2 "API call quotas").
 * Both are counted over a rolling 24 h window of the phone's clock [U: the exact window is not public].
 */
import type { FrameworkPlatform, QuotaExceeded } from './types.js';

const DAY_SECONDS = 86_400;

/** Calls per 24 h. Android v1 provideDiagnosisKeys 20/day (CWA #466) [U]; iOS 6 detections/24 h (CWA iOS #2556) [U];
 * Android v2 (DiagnosisKeyFileProvider) 6/day [U]. */
export const QUOTAS: Readonly<Record<FrameworkPlatform, Readonly<Record<'v1' | 'v2', number>>>> = {
  android: { v1: 20, v2: 6 },
  ios: { v1: 6, v2: 6 },
};

/** Remembers the times of accepted calls; one per framework instance (the quota is per app). */
export class QuotaLedger {
  private readonly calls: number[] = [];
  constructor(private readonly platform: FrameworkPlatform) {}

  /** Records the call and returns undefined, or returns the refusal without recording. */
  take(mode: 'v1' | 'v2', nowEpochSeconds: number): QuotaExceeded | undefined {
    const limit = QUOTAS[this.platform][mode];
    while (this.calls.length > 0 && this.calls[0] <= nowEpochSeconds - DAY_SECONDS) this.calls.shift();
    if (this.calls.length >= limit) {
      const retryAtEpochSeconds = this.calls[0] + DAY_SECONDS;
      return {
        kind: 'quota-exceeded',
        code: 'EN_QUOTA_EXCEEDED',
        platform: this.platform,
        mode,
        limit,
        windowSeconds: DAY_SECONDS,
        retryAtEpochSeconds,
        reason: `${this.platform} allows ${limit} exposure detections per 24 h; ${this.calls.length} already made, next at ${new Date(retryAtEpochSeconds * 1000).toISOString()}`,
      };
    }
    this.calls.push(nowEpochSeconds);
    return undefined;
  }
}
