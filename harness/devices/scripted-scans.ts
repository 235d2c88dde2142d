/**
 * Exact radio: what the receiver's scanner reports, scripted instead of simulated. A boundary
 * scenario ("exactly 63 dB", "exactly 900 s of scans") must not depend on radio noise or on the
 * radio model's parameters, so it states per scan the attenuation the receiver measures and the
 * cadence of its scans. The sightings carry the sender's real RPIs and AEMs (its own keys, at the
 * sender's clock) and the receiver's scan times, and enter the framework exactly where the radio's
 * sightings do (World.encounter): matching, scoring and the app run unchanged on them.
 */
import type { Sighting } from './sighting.js';

export interface ScriptedScans {
  /** Attenuation (sender TX power − calibrated RSSI) the receiver measures in each scan, dB. */
  readonly attenuationsDb: readonly number[];
  /** Seconds from one scan's start to the next (and from the scan before the encounter to the first). */
  readonly scanIntervalSeconds: number;
}

/** One scan window lasts 4 s (gaen.md §3, BleScannerImpl); adverts are heard every 250 ms in it. */
export const SCRIPTED_SCAN_WINDOW_SECONDS = 4;
export const SCRIPTED_ADVERT_SPACING_SECONDS = 0.25;

/** Per-scan attenuations of a constant attenuation held for `durationSeconds`: one per scan that starts before the end. */
export function constantScans(
  attenuationDb: number,
  durationSeconds: number,
  scanIntervalSeconds: number,
): number[] {
  return Array.from(
    { length: Math.max(0, Math.ceil(durationSeconds / scanIntervalSeconds)) },
    () => attenuationDb,
  );
}

/**
 * Sightings of `sender` at `receiver`: scan k starts at start + k × interval (true time) and hears
 * every advert of its 4 s window at exactly the scripted attenuation; the previous scan ended one
 * interval before this one did. Clock skews apply as in the radio (harness/devices/radio/link.ts).
 */
export function scriptedSightings(
  sender: { advertisementAt(epochSeconds: number): { rpi: Uint8Array; aem: Uint8Array } },
  senderCalibration: { readonly txPower: number },
  senderClock: { readonly clockSkewSeconds: number },
  receiverClock: { readonly clockSkewSeconds: number },
  encounter: { readonly startEpochSeconds: number; readonly scripted?: ScriptedScans },
): Sighting[] {
  const out: Sighting[] = [];
  const scans = encounter.scripted;
  if (!scans) return out;
  const startEpochSeconds = encounter.startEpochSeconds;
  const perScan = Math.round(SCRIPTED_SCAN_WINDOW_SECONDS / SCRIPTED_ADVERT_SPACING_SECONDS);
  scans.attenuationsDb.forEach((attenuation, k) => {
    const scanStart = startEpochSeconds + k * scans.scanIntervalSeconds;
    const previousEnd = scanStart - scans.scanIntervalSeconds + SCRIPTED_SCAN_WINDOW_SECONDS;
    // Calibrated RSSI such that tx − rssi is the scripted attenuation (the framework's own formula).
    const rssi = Math.max(-127, Math.min(126, Math.round(senderCalibration.txPower - attenuation)));
    for (let i = 0; i < perScan; i++) {
      const t = scanStart + i * SCRIPTED_ADVERT_SPACING_SECONDS;
      const adv = sender.advertisementAt(Math.floor(t + senderClock.clockSkewSeconds));
      out.push({
        rpi: adv.rpi,
        aem: adv.aem,
        rssi,
        epochSeconds: Math.floor(t + receiverClock.clockSkewSeconds),
        previousScanEpochSeconds: Math.floor(previousEnd + receiverClock.clockSkewSeconds),
      });
    }
  });
  return out;
}

/** "55 dB × 4 scans every 300 s" or "55, 55, 70 dB, scans every 300 s" for timelines and evidence. */
export function describeScriptedScans(scans: ScriptedScans): string {
  const a = scans.attenuationsDb;
  const same = a.every((x) => x === a[0]);
  const att = same ? `${a[0]} dB × ${a.length} scans` : `${a.join(', ')} dB`;
  return `exact radio: ${att}, every ${scans.scanIntervalSeconds} s`;
}
