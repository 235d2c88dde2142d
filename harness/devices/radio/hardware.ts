/**
 * A phone's true radio hardware (types.ts RadioHardware). Defaults: a model listed in the calibration
 * table is taken to be what the table says (Google measured it); a model the table lacks gets the
 * fallback row — its true values are unknown, so ichiren assumes none [UNVERIFIED]. A scenario states
 * a unit's true values (`hardware:`) to model a table that is wrong for it or a missing model whose
 * hardware is known. Radiated power and sensitivity come from fixtures/radio/measurements.json.
 */
import type { Calibration } from '../calibration/index.js';
import type { Platform, RadioHardware } from '../types.js';
import { MEASUREMENTS } from './fit.js';

export const DEFAULT_SENSITIVITY_DBM = MEASUREMENTS.sensitivity.chosenDbm;

export const RADIATED_POWER_DBM: Readonly<Record<Platform, number>> = {
  android: MEASUREMENTS.radiatedPower.androidDbm,
  ios: MEASUREMENTS.radiatedPower.iosDbm,
};

export function trueHardware(
  platform: Platform,
  tableRow: Calibration,
  stated: Partial<RadioHardware> = {},
): RadioHardware {
  return {
    rssiOffsetDb: stated.rssiOffsetDb ?? tableRow.rssiCorrection,
    txPowerDbm: stated.txPowerDbm ?? tableRow.txPower,
    radiatedPowerDbm: stated.radiatedPowerDbm ?? RADIATED_POWER_DBM[platform],
    sensitivityDbm: stated.sensitivityDbm ?? DEFAULT_SENSITIVITY_DBM,
  };
}
