/** The BLE radio between simulated phones: advertising, scanning and path loss (gaen.md §3, §6). */
export { type Advertiser, type LinkSpec, type Listener, simulateLink } from './link.js';
export {
  A1_DB,
  ENVIRONMENTS,
  type EnvironmentModel,
  meanPathLossDb,
  PATH_LOSS_EXPONENT,
} from './path-loss.js';
export { type Rng, seededBytes, seededRng } from './random.js';
export {
  ADVERTISING_INTERVAL_MS,
  advertisementTimes,
  SCAN_POLICIES,
  type ScanPolicy,
  type ScanWindow,
  scanWindows,
} from './scanner.js';
