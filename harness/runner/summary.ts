import type { NotRunCell, RunSummary, ScenarioResult } from './results.js';

/**
 * Counts and the verdict per platform × app: does the chain reach that platform's users? An
 * interrupted run establishes no reach: its cells that never ran could have failed, so a group without a
 * failure is 'not-finished' (cells that did not run still name their group).
 */
export function summarise(
  scenarios: readonly ScenarioResult[],
  options: { readonly complete: boolean; readonly notRun?: readonly NotRunCell[] } = { complete: true },
): RunSummary {
  const cells = scenarios.flatMap((s) => s.cells);
  const groups = new Map<
    string,
    { platform: 'android' | 'ios'; app: string; passed: number; failed: number }
  >();
  for (const c of cells) {
    const key = `${c.platform}\u0000${c.app}`;
    const g = groups.get(key) ?? { platform: c.platform, app: c.app, passed: 0, failed: 0 };
    if (c.status === 'passed') g.passed++;
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
