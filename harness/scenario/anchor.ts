/**
 * The run's clock and where the phones stand on it. Scenario days are JST days while TEKs roll at
 * 00:00 UTC (09:00 JST, gaen.md §2), and the servers judge keys by their own clocks in UTC days (the
 * retention window, "no key from the future"). If the phones' now were the run's now, the same
 * scenario would put a contact on a different key, or the server's day on a different phone day,
 * depending on the hour of the run. So the phones' now is pinned to a fixed point of the UTC key day
 * before the run's: 12:00 UTC (21:00 JST). Every scenario time then sits at the same place relative
 * to the key roll, and the servers' UTC day is always the phones' next one, whatever the hour; the
 * phones run 12–36 h behind the servers' clocks, never ahead (their keys are never in the future).
 */
const DAY = 86_400;

/** Seconds after 00:00 UTC at which the phones' day stands: 12:00 UTC = 21:00 JST. */
export const PHONES_TIME_OF_DAY_UTC_SECONDS = 12 * 3600;

/** The phones' now (Unix seconds) for a run whose clock reads `runNowEpochSeconds`. */
export function phonesNow(runNowEpochSeconds: number): number {
  const utcMidnight = runNowEpochSeconds - (((runNowEpochSeconds % DAY) + DAY) % DAY);
  return utcMidnight - DAY + PHONES_TIME_OF_DAY_UTC_SECONDS;
}

/** Parses `--now`: an ISO 8601 time with a zone (…Z or ±hh:mm); null when it is not one. */
export function parseRunNow(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text.trim())) return null;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}
