/**
 * The run's clock as the runner moves it (architecture.md "Time"). Every part reads one clock (the
 * stack's: harness/stack/clock.ts). Before the first cell it moves forward to the scenarios' now
 * (scenario/anchor.ts); a cell with steps after now (PlannedCell.afterNow) runs alone after the others
 * and moves it on to its own now and then to each later step's time, so the server, the HER-SYS stub
 * and the phones see the same "now" at every request. The clock only ever moves forward.
 */
import type { RunnerDeps } from './deps.js';

/** The run's clock, Unix seconds: the injected one (tests), else the stack's. */
export function runNow(deps: Pick<RunnerDeps, 'now' | 'stack'>): number {
  if (deps.now) return deps.now();
  return Math.floor((deps.stack.clock?.now() ?? Date.now()) / 1000);
}

/** Moves the whole stack's clock forward to `epochSeconds` when it stands earlier; never back. */
export async function moveClockTo(
  deps: Pick<RunnerDeps, 'now' | 'stack'>,
  epochSeconds: number,
): Promise<void> {
  const clock = deps.stack.clock;
  if (!clock || runNow(deps) >= epochSeconds) return;
  await clock.moveTo(epochSeconds * 1000);
}
