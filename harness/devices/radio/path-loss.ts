/**
 * Log-distance path loss (gaen.md §6, a suggestion, not GAEN-specified):
 *   att(d) = A1 + 10·n·log10(d / 1 m) + environment offset + body shadowing + noise.
 * A1 ≈ 34 dB and n ≈ 4.3 fit 47 dB @ 2 m (internals defaultMinExposureAttenuationValue) and
 * 73 dB @ 8 m (CWA) [UNVERIFIED, derived in gaen.md §6].
 */
import type { Environment } from '../types.js';

export const A1_DB = 34;
export const PATH_LOSS_EXPONENT = 4.3;

export interface EnvironmentModel {
  /** Added to the log-distance loss, dB: furniture, pockets, bags, people around. */
  readonly offsetDb: number;
  /** Multiplies n: metal, multipath-rich vehicles have a weak distance dependence (Leith & Farrell). */
  readonly exponentScale: number;
  /** σ of the per-encounter offset (how the phones sit for the whole encounter), dB. */
  readonly encounterSigmaDb: number;
  /** σ of the per-scan noise (body movement between scans), dB. */
  readonly scanSigmaDb: number;
  /** σ of the per-advertisement noise (fast fading within one 4 s scan), dB. */
  readonly advertSigmaDb: number;
}

/**
 * Offsets are ichiren's calibration [UNVERIFIED]: chosen so that COCOA's intended rule (attenuation
 * ≤ 63 dB ≈ "within 1 m", cocoa.md §4.1) emerges in an office — 1 m for 20 min notifies, 3 m does not
 * (pinned by radio.test.ts over many seeds). Shadowing σ 3–6 dB sits at the low end of gaen.md §6's
 * 4–8 dB because the per-encounter, per-scan and per-advert terms add up (√(3²+3²+1.5²) ≈ 4.5 dB).
 * Train/bus: n scaled to 0.25 and σ 6 dB per encounter, "little correlation between RSSI and
 * distance" and "±10 dB when the seated people change" (Leith & Farrell, gaen.md §6).
 */
export const ENVIRONMENTS: Readonly<Record<Environment, EnvironmentModel>> = {
  'open-air': { offsetDb: 16, exponentScale: 1, encounterSigmaDb: 3, scanSigmaDb: 3, advertSigmaDb: 1.5 },
  office: { offsetDb: 22, exponentScale: 1, encounterSigmaDb: 3, scanSigmaDb: 3, advertSigmaDb: 1.5 },
  home: { offsetDb: 20, exponentScale: 1, encounterSigmaDb: 3, scanSigmaDb: 3, advertSigmaDb: 1.5 },
  restaurant: { offsetDb: 24, exponentScale: 1, encounterSigmaDb: 4, scanSigmaDb: 3, advertSigmaDb: 1.5 },
  train: { offsetDb: 38, exponentScale: 0.25, encounterSigmaDb: 6, scanSigmaDb: 4, advertSigmaDb: 2 },
  bus: { offsetDb: 36, exponentScale: 0.25, encounterSigmaDb: 6, scanSigmaDb: 4, advertSigmaDb: 2 },
};

/** Mean path loss (no noise) at `distanceM` in `environment`, dB. Distances below 0.1 m clamp. */
export function meanPathLossDb(distanceM: number, environment: Environment, bodyShadowingDb = 0): number {
  const env = ENVIRONMENTS[environment];
  const d = Math.max(distanceM, 0.1);
  return A1_DB + 10 * PATH_LOSS_EXPONENT * env.exponentScale * Math.log10(d) + env.offsetDb + bodyShadowingDb;
}
