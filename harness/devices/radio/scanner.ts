/** When a phone's scanner listens (gaen.md §3 and §6). */
import type { Platform } from '../types.js';
import type { Rng } from './random.js';

export interface ScanPolicy {
  /** Seconds between scan starts = base − U(0, jitter). */
  readonly intervalBaseSeconds: number;
  readonly intervalJitterSeconds: number;
  readonly windowSeconds: number;
  readonly verified: boolean;
}

/**
 * Android: scanIntervalSeconds 300 − rand(0..90) → 210–300 s, 4 s window (gaen.md §3, verified from
 * the internals). iOS: Apple documents only "at least every 5 min"; ichiren models every 3–5 min with
 * a 4 s window [UNVERIFIED, gaen.md §6 "iOS: [U], ≤ 5 min"].
 */
export const SCAN_POLICIES: Readonly<Record<Platform, ScanPolicy>> = {
  android: { intervalBaseSeconds: 300, intervalJitterSeconds: 90, windowSeconds: 4, verified: true },
  ios: { intervalBaseSeconds: 300, intervalJitterSeconds: 120, windowSeconds: 4, verified: false },
};

export interface ScanWindow {
  readonly start: number;
  readonly end: number;
  /** End of the scan before this one (true time). */
  readonly previousEnd: number;
}

/** Scans overlapping [from, to): the schedule starts at a random phase before `from`. */
export function scanWindows(policy: ScanPolicy, from: number, to: number, rng: Rng): ScanWindow[] {
  const step = () => policy.intervalBaseSeconds - rng.uniform(0, policy.intervalJitterSeconds);
  let start = from - rng.uniform(0, policy.intervalBaseSeconds);
  let previousEnd = start - step() + policy.windowSeconds;
  const out: ScanWindow[] = [];
  while (start < to) {
    const end = start + policy.windowSeconds;
    if (end > from) out.push({ start, end, previousEnd });
    previousEnd = end;
    start += step();
  }
  return out;
}

/** Advertising interval 200–270 ms (gaen.md §6): a 4 s window hears ~15–20 advertisements. */
export const ADVERTISING_INTERVAL_MS = { min: 200, max: 270 } as const;

/** Times (true seconds) at which a sender's advertisements fall inside [start, end). */
export function advertisementTimes(start: number, end: number, rng: Rng): number[] {
  const out: number[] = [];
  let t = start + rng.uniform(0, ADVERTISING_INTERVAL_MS.max / 1000);
  while (t < end) {
    out.push(t);
    t += rng.uniform(ADVERTISING_INTERVAL_MS.min, ADVERTISING_INTERVAL_MS.max) / 1000;
  }
  return out;
}
