/**
 * ENIntervalNumber: 10-minute intervals since the Unix epoch (gaen.md §1, Apple ENCommon.h).
 */
export const EN_INTERVAL_SECONDS = 600;
/** TEKRollingPeriod: a key lives 144 intervals = 24 h (ContactTracingFeature.tkRollingPeriodMultipleOfIdRollingPeriod). */
export const TEK_ROLLING_PERIOD = 144;
/** Phones keep their own keys and sightings for 14 days (contactRecordDaysToKeep). */
export const KEY_RETENTION_DAYS = 14;

export function enIntervalNumber(unixSeconds: number): number {
  return Math.floor(unixSeconds / EN_INTERVAL_SECONDS);
}

/** First interval of the UTC day holding `enin` (RollingProximityIdManager.getAlignedEnIntervalNumber). */
export function alignedRollingStart(enin: number): number {
  return Math.floor(enin / TEK_ROLLING_PERIOD) * TEK_ROLLING_PERIOD;
}

export function intervalToUnixSeconds(enin: number): number {
  return enin * EN_INTERVAL_SECONDS;
}
