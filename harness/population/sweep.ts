/**
 * The what-if over the threshold (`--sweep-threshold 55..70`): for each attenuation T, who would have
 * been notified had the app notified when its framework reported at least 15 minutes at T dB or less
 * (the close-contact duration, MHLW; COCOA 2.x's own 900 s, cocoa.md §4.2). One run gives the whole
 * curve: each check records, per matched key, the smallest T at which that rule notifies, read from
 * the framework's own output (EN v2: scan instances' typical attenuation and seconds since the last
 * scan; EN v1: each ExposureInformation's attenuation value and duration).
 */
import type { FrameworkOutput } from '../devices/apps/types.js';
import type { Platform } from '../devices/types.js';
import { CLOSE_CONTACT } from './model.js';

const MIN_SECONDS = CLOSE_CONTACT.minutes * 60;

/** Smallest T (dB) at which the rule notifies for this detection; Infinity when none does. */
export function notifyingThreshold(output: FrameworkOutput): number {
  if (output.kind === 'v2') {
    let best = Number.POSITIVE_INFINITY;
    const byDay = new Map<number, { db: number; s: number }[]>();
    for (const w of output.exposureWindows) {
      const scans = byDay.get(w.dateMillisSinceEpoch) ?? [];
      for (const s of w.scanInstances) scans.push({ db: s.typicalAttenuationDb, s: s.secondsSinceLastScan });
      byDay.set(w.dateMillisSinceEpoch, scans);
    }
    // Per day, the weakest attenuation that must count for its seconds to reach 15 minutes.
    for (const scans of byDay.values()) {
      scans.sort((a, b) => a.db - b.db);
      let sum = 0;
      for (const x of scans) {
        sum += x.s;
        if (sum >= MIN_SECONDS) {
          best = Math.min(best, x.db);
          break;
        }
      }
    }
    return best;
  }
  let best = Number.POSITIVE_INFINITY;
  for (const i of output.informations) {
    const seconds = 'durationMinutes' in i ? i.durationMinutes * 60 : i.duration;
    if (seconds >= MIN_SECONDS) best = Math.min(best, i.attenuationValue);
  }
  return best;
}

/** "55..70" → [55, 70]; null unless two whole dB from 0 to 120, low ≤ high. */
export function parseSweep(text: string): readonly [number, number] | null {
  const m = /^\s*(\d{1,3})\s*\.\.\s*(\d{1,3})\s*$/.exec(text);
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  return lo <= hi && hi <= 120 ? [lo, hi] : null;
}

/** Counts at one threshold for one platform; shards add up. */
export interface SweepCounts {
  readonly platform: Platform;
  readonly thresholdDb: number;
  closeContacts: number;
  notifiedClose: number;
  nonCloseContacts: number;
  falseAlarms: number;
}

/** A receiver's part of the sweep: close or not, and the smallest notifying T over the keys that count. */
export function addToSweep(
  into: Map<string, SweepCounts>,
  range: readonly [number, number],
  platform: Platform,
  close: boolean,
  threshold: number,
): void {
  for (let t = range[0]; t <= range[1]; t++) {
    const key = `${platform}|${t}`;
    const c = into.get(key) ?? {
      platform,
      thresholdDb: t,
      closeContacts: 0,
      notifiedClose: 0,
      nonCloseContacts: 0,
      falseAlarms: 0,
    };
    if (close) {
      c.closeContacts++;
      if (threshold <= t) c.notifiedClose++;
    } else {
      c.nonCloseContacts++;
      if (threshold <= t) c.falseAlarms++;
    }
    into.set(key, c);
  }
}

export const sortSweep = (s: SweepCounts[]) =>
  s.sort((a, b) => a.platform.localeCompare(b.platform) || a.thresholdDb - b.thresholdDb);
