/** Builders for tests and benchmarks: real TEKs, RPIs and AEMs, sightings at chosen attenuations. */
import { createHash } from 'node:crypto';
import { encryptAem } from '../../protocol/aem.js';
import { enIntervalNumber } from '../../protocol/interval.js';
import { deriveAemk, deriveRpik } from '../../protocol/key-derivation.js';
import { type BluetoothMetadata, encodeMetadata } from '../../protocol/metadata.js';
import { deriveRpi } from '../../protocol/rpi.js';
import { generateTek, type TemporaryExposureKey } from '../../protocol/tek.js';
import type { Sighting } from '../sighting.js';
import type { V1Configuration } from './types.js';

/** Deterministic bytes: SHA-256(seed ‖ counter) blocks. */
export function seededRandom(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = Buffer.alloc(n);
    for (let off = 0; off < n; off += 32) {
      createHash('sha256')
        .update(`${seed}:${counter++}`)
        .digest()
        .copy(out, off, 0, Math.min(32, n - off));
    }
    return out;
  };
}

export interface Sender {
  readonly key: TemporaryExposureKey;
  /** The sighting a receiver records at `t` when the link attenuation is `attenuation` dB. */
  sightingAt(t: number, attenuation: number, previousScanEpochSeconds?: number): Sighting;
}

export function sender(
  epochSeconds: number,
  random: (n: number) => Uint8Array,
  meta: BluetoothMetadata = { version: '1.1', txPower: -10, calibrationConfidence: 3 },
  overrides: Partial<TemporaryExposureKey> = {},
): Sender {
  const key = { ...generateTek(epochSeconds, random), ...overrides };
  const rpik = deriveRpik(key.keyData);
  const aemk = deriveAemk(key.keyData);
  const metadata = encodeMetadata(meta);
  return {
    key,
    sightingAt(t, attenuation, previousScanEpochSeconds = t - 240) {
      const rpi = deriveRpi(rpik, enIntervalNumber(t));
      return {
        rpi,
        aem: encryptAem(aemk, rpi, metadata),
        rssi: meta.txPower - attenuation,
        epochSeconds: t,
        previousScanEpochSeconds,
      };
    },
  };
}

/** COCOA 1.1.4–1.4.0 hard-coded v1 configuration (cocoa.md §1.6). */
export const COCOA_V1_CONFIG: V1Configuration = {
  minimumRiskScore: 21,
  attenuationScores: [1, 2, 3, 4, 5, 6, 7, 8],
  daysSinceLastExposureScores: [1, 1, 1, 1, 1, 1, 1, 1],
  durationScores: [0, 0, 0, 0, 1, 1, 1, 1],
  transmissionRiskScores: [7, 7, 7, 7, 7, 7, 7, 7],
  durationAtAttenuationThresholds: [50, 70],
  minimumRiskScoreFullRange: 21,
};

/** 2020-10-01T00:00:00Z: a UTC midnight (ENIN 2669184 = 18536 × 144). */
export const DAY0 = 1_601_510_400;
