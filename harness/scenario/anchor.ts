/**
 * Where a scenario's "now" stands on the run's clock. Scenario days are JST days, keys roll at 00:00
 * UTC (09:00 JST, gaen.md §2), and the server judges keys by the same clock as the phones (one clock
 * for the whole stack, harness/stack/clock.ts). If "now" were the run's clock itself, the same
 * scenario would put a contact on a live or an ended key, or a server-facing step on another UTC day,
 * depending on the hour of the run. So the scenario's now is a fixed point of the key day: the first
 * 12:00 UTC (21:00 JST) at or after the run's clock. The run's clock starts at `--now` and the whole
 * stack moves forward to it before the first cell; steps after "now" move it on (runner/clock.ts).
 * A deployed server's clock cannot be moved: there the scenario's now is the server's now, as read.
 */
const DAY = 86_400;

/** Seconds after 00:00 UTC at which a scenario's now stands: 12:00 UTC = 21:00 JST. */
export const SCENARIO_TIME_OF_DAY_UTC_SECONDS = 12 * 3600;

/** The scenario's now (Unix seconds) for a run whose clock reads `runNowEpochSeconds`: never earlier. */
export function scenarioNow(runNowEpochSeconds: number): number {
  const utcMidnight = runNowEpochSeconds - (((runNowEpochSeconds % DAY) + DAY) % DAY);
  const sameDay = utcMidnight + SCENARIO_TIME_OF_DAY_UTC_SECONDS;
  return sameDay >= runNowEpochSeconds ? sameDay : sameDay + DAY;
}

/** Parses `--now`: an ISO 8601 time with a zone (…Z or ±hh:mm); null when it is not one. */
export function parseRunNow(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text.trim())) return null;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}
