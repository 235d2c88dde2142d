/**
 * One direction of an encounter: the receiver's scans hear the sender's advertisements.
 *
 * Calibration algebra (gaen.md §3): the sender writes its calibrated TX power in the AEM metadata;
 * the receiver records rssi = raw + rssiCorrection, and the framework takes attenuation = tx − rssi.
 * ichiren treats the calibration table as the truth about each phone: the receiver's chipset reads
 * `rssiCorrection` dB low, so raw = tx − pathLoss − rssiCorrection, and after correction
 *   attenuation = tx − (raw + rssiCorrection) = pathLoss.
 * A phone missing from the table gets a fallback row (lookupCalibration), so its attenuation is only
 * ≈ pathLoss, off by the difference between its true and assumed calibration — as in the field.
 */
import type { Sighting } from '../sighting.js';
import type { Environment, Platform } from '../types.js';
import { ENVIRONMENTS, meanPathLossDb } from './path-loss.js';
import type { Rng } from './random.js';
import { advertisementTimes, SCAN_POLICIES, scanWindows } from './scanner.js';

export interface Advertiser {
  /** RPI and AEM the sender broadcasts at its own clock time `epochSeconds` (rotates per ENIN). */
  advertisementAt(epochSeconds: number): { rpi: Uint8Array; aem: Uint8Array };
  readonly txPower: number;
  readonly clockSkewSeconds: number;
}

export interface Listener {
  readonly platform: Platform;
  readonly rssiCorrection: number;
  readonly clockSkewSeconds: number;
}

export interface LinkSpec {
  readonly startEpochSeconds: number;
  readonly durationSeconds: number;
  readonly distanceM: number;
  readonly environment: Environment;
  readonly bodyShadowingDb: number;
}

const clampRssi = (v: number): number => Math.max(-127, Math.min(126, Math.round(v)));

/** Sightings the listener records of the advertiser, time-ordered, on the listener's clock. */
export function simulateLink(sender: Advertiser, receiver: Listener, spec: LinkSpec, rng: Rng): Sighting[] {
  const env = ENVIRONMENTS[spec.environment];
  const from = spec.startEpochSeconds;
  const to = from + spec.durationSeconds;
  const meanLoss = meanPathLossDb(spec.distanceM, spec.environment, spec.bodyShadowingDb);
  const encounterOffset = rng.normal(env.encounterSigmaDb);
  const out: Sighting[] = [];
  for (const scan of scanWindows(SCAN_POLICIES[receiver.platform], from, to, rng)) {
    const scanNoise = rng.normal(env.scanSigmaDb);
    const start = Math.max(scan.start, from);
    const end = Math.min(scan.end, to);
    for (const t of advertisementTimes(start, end, rng)) {
      const pathLoss = meanLoss + encounterOffset + scanNoise + rng.normal(env.advertSigmaDb);
      const adv = sender.advertisementAt(Math.floor(t + sender.clockSkewSeconds));
      const raw = sender.txPower - pathLoss - receiver.rssiCorrection;
      out.push({
        rpi: adv.rpi,
        aem: adv.aem,
        rssi: clampRssi(raw + receiver.rssiCorrection),
        epochSeconds: Math.floor(t + receiver.clockSkewSeconds),
        previousScanEpochSeconds: Math.floor(scan.previousEnd + receiver.clockSkewSeconds),
      });
    }
  }
  return out;
}
