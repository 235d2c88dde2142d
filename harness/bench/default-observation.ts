/** One observation of `ichiren watch`'s default set on the embedded stack, as the watch benches make it. */
import type { HistoryLocation } from '../watch/history/db.js';
import { DEFAULT_RELEASES } from '../watch/observe.js';
import { type WatchOutcome, watchOnce } from '../watch/watch.js';

export function observeDefaultSet(
  history: HistoryLocation,
  log?: (line: string) => void,
): Promise<WatchOutcome> {
  return watchOnce({
    paths: ['scenarios'],
    tag: 'observation',
    releases: [...DEFAULT_RELEASES],
    platforms: ['android', 'ios'],
    seed: 1,
    workers: 4,
    stepTimeoutMs: 15_000,
    target: 'embedded',
    history,
    retentionDays: 90,
    ...(log ? { log } : {}),
  });
}
