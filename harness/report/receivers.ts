/**
 * Report views counted per receiving phone, on each phone's own platform: the same counting as the
 * summary's verdict (runner/summary.ts), so a cell whose Android phone held and whose iPhone broke
 * shows ✔ under Android and ✘ under iOS. Scenarios over trials count notified trials (trialsCount).
 */
import type { CellResult, ChainLinkName, LinkResult, ScenarioResult } from '../runner/results.js';
import { phoneHeld } from '../runner/summary.js';
import { rateMisses } from '../runner/trials.js';
import { STATUS_SYMBOLS } from './i18n.js';

export interface PlatformCount {
  readonly passed: number;
  readonly total: number;
  /** The platform's column holds: the same rule as the run's verdict for it (summary.ts, trials.ts). */
  readonly held: boolean;
  /** Why the first receiver that did not hold failed: its broken link, else its cell's status. */
  readonly why: ChainLinkName | CellResult['status'] | null;
}

/**
 * A scenario judged over trials counts notified trials, not passed cells (a trial cell passes unless
 * it errors), and holds when no rate or differential failed against this platform, as in the verdict:
 * 3/5 with ">= 0.9" contradicted is ✘ 3/5, not ✔ 5/5. Why: where most of its unnotified trials stopped.
 */
function trialsCount(scenario: ScenarioResult, platform: 'android' | 'ios'): PlatformCount {
  const rates = scenario.rates ?? [];
  const own = rates.filter((r) => r.kind === 'rate').flatMap((r) => r.groups);
  const groups = (own.length > 0 ? own : rates.flatMap((r) => r.groups)).filter(
    (g) => g.platform === platform,
  );
  const missed = [...rateMisses(rates)].some((k) => k.startsWith(`${platform}\u0000`));
  const cellsBroken = scenario.cells.some(
    (c) => c.status !== 'passed' && c.phones.some((p) => p.platform === platform),
  );
  const stopped = new Map<string, number>();
  for (const g of groups)
    for (const [link, n] of Object.entries(g.stoppedAt)) stopped.set(link, (stopped.get(link) ?? 0) + n);
  const top = [...stopped.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const held = !missed && !cellsBroken;
  return {
    passed: groups.reduce((n, g) => n + g.notified, 0),
    total: groups.reduce((n, g) => n + g.trials, 0),
    held,
    why: held ? null : ((top as ChainLinkName | undefined) ?? 'failed'),
  };
}

export function platformCount(scenario: ScenarioResult, platform: 'android' | 'ios'): PlatformCount {
  if ((scenario.rates ?? []).length > 0) return trialsCount(scenario, platform);
  let passed = 0;
  let total = 0;
  let why: PlatformCount['why'] = null;
  for (const cell of scenario.cells) {
    const phones = cell.phones.filter((p) => p.platform === platform);
    if (cell.phones.length === 0 && cell.platform === platform) {
      total++;
      if (cell.status === 'passed') passed++;
      else why ??= cell.status;
    }
    for (const p of phones) {
      total++;
      if (phoneHeld(cell, p)) passed++;
      else why ??= p.firstBrokenLink ?? cell.status;
    }
  }
  return { passed, total, held: passed === total, why };
}

/** "upload ✘ (held; expected a break here)" for an expected break that did not happen, else "upload ✘". */
export function linkToken(l: LinkResult): string {
  return l.held
    ? `${l.name} ${STATUS_SYMBOLS[l.status]} (held; expected a break)`
    : `${l.name} ${STATUS_SYMBOLS[l.status]}`;
}

/** "droid ✔, iphone ✘ score": each receiving phone's outcome, for cells with more than one. */
export function phonesOutcome(cell: CellResult): string {
  return cell.phones
    .map(
      (p) =>
        `${p.phone} (${p.platform}) ${phoneHeld(cell, p) ? '✔' : `✘${p.firstBrokenLink ? ` ${p.firstBrokenLink}` : ''}`}`,
    )
    .join(', ');
}
