import type { CellResult, NotRunCell, PhoneChain, RunSummary, ScenarioResult } from './results.js';
import { rateMisses } from './trials.js';

/**
 * A receiving phone held its expectation when no link of its chain failed and its cell ran to the
 * end (an error or timeout of the cell fails every phone in it).
 */
export const phoneHeld = (cell: CellResult, phone: PhoneChain): boolean =>
  (cell.status === 'passed' || cell.status === 'failed') && phone.firstBrokenLink === null;

/** The receivers a verdict is counted on: each expected phone on its own platform and app. */
function receivers(cell: CellResult): { platform: 'android' | 'ios'; app: string; held: boolean }[] {
  if (cell.phones.length === 0)
    return [{ platform: cell.platform, app: cell.app, held: cell.status === 'passed' }];
  return cell.phones.map((p) => ({ platform: p.platform, app: p.app, held: phoneHeld(cell, p) }));
}

/** A trial scenario's receivers: one per platform × app, held unless a rate failed there or a cell broke. */
function trialReceivers(s: ScenarioResult): { platform: 'android' | 'ios'; app: string; held: boolean }[] {
  const missed = rateMisses(s.rates ?? []);
  const groups = new Map<string, { platform: 'android' | 'ios'; app: string; held: boolean }>();
  for (const r of s.cells.flatMap(receivers)) {
    const key = `${r.platform}\u0000${r.app}`;
    // Trial cells only record, so a phone that did not hold errored or timed out.
    const broken = !r.held || missed.has(key);
    const g = groups.get(key) ?? { platform: r.platform, app: r.app, held: true };
    if (broken) g.held = false;
    groups.set(key, g);
  }
  return [...groups.values()];
}

/**
 * Counts and the verdict per platform × app: does the chain reach that platform's users? Counted per
 * receiving phone, so a cell with an Android phone that held and an iPhone that broke yields
 * "Android ✔, iOS ✘". An interrupted run establishes no reach: its cells that never ran could have failed,
 * so a group without a failure is 'not-finished' (cells that did not run still name their group).
 */
export function summarise(
  scenarios: readonly ScenarioResult[],
  options: { readonly complete: boolean; readonly notRun?: readonly NotRunCell[] } = { complete: true },
): RunSummary {
  const cells = scenarios.flatMap((s) => s.cells);
  // A scenario judged over trials counts one receiver per platform and app, held when its rates
  // held (a trial cell passes unless it errors, so counting trials would say "20 held" for 0/20).
  const counted = scenarios.flatMap((s) =>
    s.rates?.length ? trialReceivers(s) : s.cells.flatMap(receivers),
  );
  const groups = new Map<
    string,
    { platform: 'android' | 'ios'; app: string; passed: number; failed: number }
  >();
  for (const r of counted) {
    const key = `${r.platform}\u0000${r.app}`;
    const g = groups.get(key) ?? { platform: r.platform, app: r.app, passed: 0, failed: 0 };
    if (r.held) g.passed++;
    else g.failed++;
    groups.set(key, g);
  }
  for (const c of options.notRun ?? []) {
    const key = `${c.platform}\u0000${c.app}`;
    if (!groups.has(key)) groups.set(key, { platform: c.platform, app: c.app, passed: 0, failed: 0 });
  }
  return {
    scenarios: scenarios.length,
    cells: cells.length,
    passed: cells.filter((c) => c.status === 'passed').length,
    failed: cells.filter((c) => c.status !== 'passed').length,
    verdict: [...groups.values()]
      .sort((a, b) => a.platform.localeCompare(b.platform) || a.app.localeCompare(b.app))
      .map((g) => ({
        ...g,
        reaches: options.complete && g.failed === 0,
        outcome: g.failed > 0 ? 'broken' : options.complete ? 'reaches' : 'not-finished',
      })),
  };
}
