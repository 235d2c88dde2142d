/**
 * The state machine of one series (scenario × platform × app) over its observations, oldest first:
 * passing, failing since the first failure of the current streak, recovered (the first pass after a
 * failure), flapping (many flips in the recent window). Pure: the history is the only input.
 */
import type { SeriesPoint } from './types.js';

export type SeriesState =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'passing'; readonly since: SeriesPoint; readonly last: SeriesPoint }
  | {
      readonly kind: 'recovered';
      readonly since: SeriesPoint;
      /** The first failure of the streak that just ended. */
      readonly failedSince: SeriesPoint;
      readonly last: SeriesPoint;
    }
  | {
      readonly kind: 'failing';
      /** The first failing observation of the current streak: time, release, server identity, link. */
      readonly since: SeriesPoint;
      readonly failures: number;
      readonly last: SeriesPoint;
    }
  | {
      readonly kind: 'flapping';
      readonly flips: number;
      /** flips / (observations in the window − 1). */
      readonly flipRate: number;
      readonly window: number;
      readonly last: SeriesPoint;
    };

export interface FlapPolicy {
  /** How many recent observations the flip rate looks at (default 10). */
  readonly window: number;
  /** Flip rate from which a series is flapping (default 0.4: e.g. 4 flips in 10 observations). */
  readonly minFlipRate: number;
}

export const DEFAULT_FLAP_POLICY: FlapPolicy = { window: 10, minFlipRate: 0.4 };

export function flips(points: readonly SeriesPoint[]): number {
  let n = 0;
  for (let i = 1; i < points.length; i++) if (points[i]?.passed !== points[i - 1]?.passed) n++;
  return n;
}

export function seriesState(
  points: readonly SeriesPoint[],
  policy: FlapPolicy = DEFAULT_FLAP_POLICY,
): SeriesState {
  const last = points.at(-1);
  if (!last) return { kind: 'unknown' };
  const recent = points.slice(-policy.window);
  const n = flips(recent);
  // Two flips (one failure streak and its recovery) are a change, not flapping: at least three.
  if (recent.length > 2 && n >= 3 && n / (recent.length - 1) >= policy.minFlipRate)
    return { kind: 'flapping', flips: n, flipRate: n / (recent.length - 1), window: recent.length, last };
  let start = points.length - 1;
  while (start > 0 && points[start - 1]?.passed === last.passed) start--;
  const since = points[start] as SeriesPoint;
  if (!last.passed) return { kind: 'failing', since, failures: points.length - start, last };
  const before = points[start - 1];
  if (before && start === points.length - 1) {
    let f = start - 1;
    while (f > 0 && points[f - 1]?.passed === false) f--;
    return { kind: 'recovered', since, failedSince: points[f] as SeriesPoint, last };
  }
  return { kind: 'passing', since, last };
}

/** What a scheduler and a reader care about: is it broken, fine, or unstable. */
export type StateClass = 'none' | 'passing' | 'failing' | 'flapping';

export const stateClass = (s: SeriesState): StateClass =>
  s.kind === 'unknown' ? 'none' : s.kind === 'recovered' ? 'passing' : s.kind;

export type AlertKind = 'failing' | 'recovered' | 'flapping';

/** The alert a change of state calls for, or null: alerts fire on changes only, never on every failing run. */
export function alertFor(before: SeriesState, after: SeriesState): AlertKind | null {
  const from = stateClass(before);
  const to = stateClass(after);
  if (from === to) return null;
  if (to === 'failing') return 'failing';
  if (to === 'flapping') return 'flapping';
  if (to === 'passing' && from !== 'none') return 'recovered';
  return null;
}
