/**
 * One direction of an encounter: the receiver's scans hear the sender's advertisements.
 *
 * Calibration algebra (gaen.md §3, Google's formula Attenuation = TX − (RSSI + correction)):
 *   raw RSSI  = trueTx(sender) − pathLoss − trueOffset(receiver)      the chipset reads its true offset low
 *   rssi      = raw + tableCorrection(receiver's own model)           what the OS records
 *   attenuation (framework) = advertisedTx(sender's AEM = table tx) − rssi
 *             = pathLoss + (advertisedTx − trueTx) + (trueOffset − tableCorrection).
 * With a table that is right for both phones attenuation equals path loss; otherwise it is off by the
 * difference, as on real phones (calibrationErrorDb).
 *
 * Reception: an advertisement is heard only when radiated power − pathLoss ≥ the receiver's
 * sensitivity. The table's tx and correction are numbers on the reference phone's scale (their 44 dB
 * spread is not radiated power), so the link budget uses the radiated power instead.
 */
import type { Sighting } from '../sighting.js';
import type { Environment, Platform } from '../types.js';
import { ENVIRONMENTS, meanPathLossDb } from './path-loss.js';
import type { Rng } from './random.js';
import { advertisementTimes, SCAN_POLICIES, scanWindows } from './scanner.js';

export interface Advertiser {
  /** RPI and AEM the sender broadcasts at its own clock time `epochSeconds` (rotates per ENIN). */
  advertisementAt(epochSeconds: number): { rpi: Uint8Array; aem: Uint8Array };
  /** TX power the AEM carries: the table's tx for the sender's model, dBm. */
  readonly advertisedTxPower: number;
  /** TX the sender's hardware would need for attenuation to equal path loss, dBm. */
  readonly trueTxPower: number;
  readonly radiatedPowerDbm: number;
  readonly clockSkewSeconds: number;
}

export interface Listener {
  readonly platform: Platform;
  /** dB the OS adds to raw RSSI: the table's correction for the receiver's own model. */
  readonly rssiCorrection: number;
  /** dB the receiver's chipset truly reads low. */
  readonly trueRssiOffset: number;
  readonly sensitivityDbm: number;
  readonly clockSkewSeconds: number;
}

export interface LinkSpec {
  readonly startEpochSeconds: number;
  readonly durationSeconds: number;
  readonly distanceM: number;
  readonly environment: Environment;
  readonly bodyShadowingDb: number;
}

export interface LinkResult {
  readonly sightings: Sighting[];
  /** Advertisements inside a scan window that arrived below the receiver's sensitivity. */
  readonly lost: number;
}

const clampRssi = (v: number): number => Math.max(-127, Math.min(126, Math.round(v)));

/** attenuation − path loss for this sender/receiver pair, dB. */
export function calibrationErrorDb(sender: Advertiser, receiver: Listener): number {
  return sender.advertisedTxPower - sender.trueTxPower + (receiver.trueRssiOffset - receiver.rssiCorrection);
}

/** Whether an advertisement that lost `pathLossDb` on the way is demodulated (a hard threshold). */
export const heard = (radiatedPowerDbm: number, pathLossDb: number, sensitivityDbm: number): boolean =>
  radiatedPowerDbm - pathLossDb >= sensitivityDbm;

/** Sightings the listener records of the advertiser, time-ordered, on the listener's clock. */
export function simulateLink(sender: Advertiser, receiver: Listener, spec: LinkSpec, rng: Rng): LinkResult {
  const env = ENVIRONMENTS[spec.environment];
  const from = spec.startEpochSeconds;
  const to = from + spec.durationSeconds;
  const meanLoss = meanPathLossDb(spec.distanceM, spec.environment, spec.bodyShadowingDb);
  const encounterOffset = rng.normal(env.encounterSigmaDb);
  const sightings: Sighting[] = [];
  let lost = 0;
  for (const scan of scanWindows(SCAN_POLICIES[receiver.platform], from, to, rng)) {
    const scanNoise = rng.normal(env.scanSigmaDb);
    const start = Math.max(scan.start, from);
    const end = Math.min(scan.end, to);
    for (const t of advertisementTimes(start, end, rng)) {
      const pathLoss = meanLoss + encounterOffset + scanNoise + rng.normal(env.advertSigmaDb);
      if (!heard(sender.radiatedPowerDbm, pathLoss, receiver.sensitivityDbm)) {
        lost++;
        continue;
      }
      const adv = sender.advertisementAt(Math.floor(t + sender.clockSkewSeconds));
      const raw = sender.trueTxPower - pathLoss - receiver.trueRssiOffset;
      sightings.push({
        rpi: adv.rpi,
        aem: adv.aem,
        rssi: clampRssi(raw + receiver.rssiCorrection),
        epochSeconds: Math.floor(t + receiver.clockSkewSeconds),
        previousScanEpochSeconds: Math.floor(scan.previousEnd + receiver.clockSkewSeconds),
      });
    }
  }
  return { sightings, lost };
}
