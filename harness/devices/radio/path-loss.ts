/**
 * Log-distance path loss, fitted per environment to published measurements (fit.ts,
 * fixtures/radio/fit.json):
 *   att(d) = a1 + 10·n·log10(d / 1 m) + body shadowing + N(0,σ_enc) + N(0,σ_scan) + N(0,σ_adv).
 * The loss is the attenuation a reference pair would report (the calibration table's scale, gaen.md §3).
 */
import type { Environment } from '../types.js';
import { FIT, type FittedEnvironment } from './fit.js';

export type EnvironmentModel = FittedEnvironment;

export const ENVIRONMENTS: Readonly<Record<Environment, EnvironmentModel>> = {
  'open-air': FIT['open-air'],
  office: FIT.office,
  home: FIT.home,
  restaurant: FIT.restaurant,
  train: FIT.train,
  bus: FIT.bus,
};

/** Mean path loss (no noise) at `distanceM` in `environment`, dB. Distances below 0.1 m clamp. */
export function meanPathLossDb(distanceM: number, environment: Environment, bodyShadowingDb = 0): number {
  const env = ENVIRONMENTS[environment];
  const d = Math.max(distanceM, 0.1);
  return env.a1Db + 10 * env.exponent * Math.log10(d) + bodyShadowingDb;
}

/** σ of one advertisement's loss around the mean: the three noise terms together, dB. */
export function totalSigmaDb(environment: Environment): number {
  const e = ENVIRONMENTS[environment];
  return Math.hypot(e.encounterSigmaDb, e.scanSigmaDb, e.advertSigmaDb);
}
