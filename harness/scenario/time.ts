/**
 * Relative scenario time: "day -5 10:00" (JST), "day -1" (a date), or "now". Day 0 is today in JST;
 * compile.ts anchors it to the run's clock (anchor.ts; architecture.md "Time").
 */
export type RelativeTime =
  | { readonly kind: 'now'; readonly offsetMinutes: number }
  | { readonly kind: 'day'; readonly day: number; readonly minutes: number };

/**
 * "now -45m", "now -2h": minutes or hours before the scenario's now (e.g. a contact earlier today);
 * "now +10m": after it (the run's clock moves on to it, harness/runner/clock.ts).
 */
const NOW_RE = /^now\s*([+-])\s*(\d{1,4})\s*(m|h)$/;
const DAY_RE = /^day\s+([+-]?\d{1,2})(?:\s+([01]?\d|2[0-3]):([0-5]\d))?$/;

/** Parses a relative time; returns null when it does not match (the caller reports file:line). */
export function parseRelativeTime(text: string): RelativeTime | null {
  const t = text.trim();
  if (t === 'now') return { kind: 'now', offsetMinutes: 0 };
  const n = NOW_RE.exec(t);
  if (n)
    return { kind: 'now', offsetMinutes: (n[1] === '-' ? -1 : 1) * Number(n[2]) * (n[3] === 'h' ? 60 : 1) };
  const m = DAY_RE.exec(t);
  if (!m) return null;
  return {
    kind: 'day',
    day: Number(m[1]),
    minutes: m[2] === undefined ? 0 : Number(m[2]) * 60 + Number(m[3]),
  };
}

export const JST_OFFSET_SECONDS = 9 * 3600;

/** Unix seconds of 00:00 JST of the JST day containing `epochSeconds`. */
export function jstMidnight(epochSeconds: number): number {
  const local = epochSeconds + JST_OFFSET_SECONDS;
  return local - (((local % 86_400) + 86_400) % 86_400) - JST_OFFSET_SECONDS;
}

/** "YYYY-MM-DD" of the JST day containing `epochSeconds`. */
export function jstDate(epochSeconds: number): string {
  return new Date((epochSeconds + JST_OFFSET_SECONDS) * 1000).toISOString().slice(0, 10);
}

/** The canonical label of a relative time, e.g. "day -5 10:00". */
export function formatRelative(t: RelativeTime): string {
  if (t.kind === 'now')
    return t.offsetMinutes === 0 ? 'now' : `now ${t.offsetMinutes > 0 ? '+' : ''}${t.offsetMinutes}m`;
  const hh = String(Math.floor(t.minutes / 60)).padStart(2, '0');
  const mm = String(t.minutes % 60).padStart(2, '0');
  return `day ${t.day} ${hh}:${mm}`;
}
