/** The BLE radio between simulated phones: advertising, scanning and path loss (gaen.md §3, §6). */
export { FIT, type FittedEnvironment, fitLogDistance, MEASUREMENTS, type Measurements } from './fit.js';
export { DEFAULT_SENSITIVITY_DBM, RADIATED_POWER_DBM, trueHardware } from './hardware.js';
export {
  type Advertiser,
  calibrationErrorDb,
  heard,
  type LinkResult,
  type LinkSpec,
  type Listener,
  simulateLink,
} from './link.js';
export { ENVIRONMENTS, type EnvironmentModel, meanPathLossDb, totalSigmaDb } from './path-loss.js';
export { type Rng, seededBytes, seededRng } from './random.js';
export {
  ADVERTISING_INTERVAL_MS,
  advertisementTimes,
  SCAN_POLICIES,
  type ScanPolicy,
  type ScanWindow,
  scanWindows,
} from './scanner.js';
