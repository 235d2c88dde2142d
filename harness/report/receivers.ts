/**
 * Report views counted per receiving phone, on each phone's own platform: the same counting as the
 * summary's verdict (runner/summary.ts), so a cell whose Android phone held and whose iPhone broke
 * shows ✔ under Android and ✘ under iOS.
 */
import type { CellResult, ChainLinkName, LinkResult, ScenarioResult } from '../runner/results.js';
import { phoneHeld } from '../runner/summary.js';
import { STATUS_SYMBOLS } from './i18n.js';

export interface PlatformCount {
  readonly passed: number;
  readonly total: number;
  /** Why the first receiver that did not hold failed: its broken link, else its cell's status. */
  readonly why: ChainLinkName | CellResult['status'] | null;
}

export function platformCount(scenario: ScenarioResult, platform: 'android' | 'ios'): PlatformCount {
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
  return { passed, total, why };
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
