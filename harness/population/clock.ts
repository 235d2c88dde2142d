/**
 * Where the population's days sit in time. Day d is a Japan-time calendar day; the last day is
 * yesterday (UTC), so every meeting, upload and check lies in the past of the real servers and the
 * placement depends only on the UTC date of the run, never on its hour.
 */
const DAY = 86_400;
const JST_OFFSET = 9 * 3600;

export interface PopulationClock {
  readonly days: number;
  /** JST midnight of day d, Unix seconds. */
  jstDayStart(d: number): number;
  /** "YYYY-MM-DD" of day d in Japan. */
  date(d: number): string;
  /** When day d's positives enter their processing number (20:30 JST). */
  uploadAt(d: number): number;
  /** When every phone checks for exposures on day d (23:30 JST), after the day's export batch. */
  checkAt(d: number): number;
}

export function populationClock(days: number, nowEpochSeconds: number): PopulationClock {
  const todayUtc = Math.floor(nowEpochSeconds / DAY);
  // Day d's JST date is the UTC date todayUtc − days + d; its JST midnight is 9 h before that UTC midnight.
  const jstDayStart = (d: number) => (todayUtc - days + d) * DAY - JST_OFFSET;
  return {
    days,
    jstDayStart,
    date: (d) => new Date((todayUtc - days + d) * DAY * 1000).toISOString().slice(0, 10),
    uploadAt: (d) => jstDayStart(d) + 20.5 * 3600,
    checkAt: (d) => jstDayStart(d) + 23.5 * 3600,
  };
}
