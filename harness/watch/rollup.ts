/**
 * Per-platform view over series: a platform is failing if any of its series fails (since the
 * earliest first failure), flapping if any flaps, passing when all pass. This is the line a reader
 * wants first: "Android ✘ since <date>, iOS ✔".
 */
import { type Lang, platformLine } from './catalog.js';
import type { SeriesHistory } from './history/store.js';
import type { SeriesState } from './state.js';
import type { Platform } from './types.js';

const RANK: Record<SeriesState['kind'], number> = {
  unknown: 0,
  passing: 1,
  recovered: 2,
  flapping: 3,
  failing: 4,
};

export function platformState(series: readonly SeriesHistory[], platform: Platform): SeriesState {
  let worst: SeriesState = { kind: 'unknown' };
  for (const s of series) {
    if (s.key.platform !== platform) continue;
    const st = s.state;
    if (RANK[st.kind] > RANK[worst.kind]) worst = st;
    else if (
      st.kind === 'failing' &&
      worst.kind === 'failing' &&
      st.since.observedAt < worst.since.observedAt
    )
      worst = st;
  }
  return worst;
}

export const PLATFORMS: readonly Platform[] = ['android', 'ios'];

export function headline(series: readonly SeriesHistory[], lang: Lang): string {
  return PLATFORMS.map((p) => platformLine(p, platformState(series, p), lang)).join(
    lang === 'ja' ? '、' : ', ',
  );
}

/** Exit status for schedulers: 1 when any series is failing or flapping. */
export const anyBroken = (series: readonly SeriesHistory[]) =>
  series.some((s) => s.state.kind === 'failing' || s.state.kind === 'flapping');
