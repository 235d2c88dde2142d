/**
 * A run's cells → one outcome per receiving phone. The platform is read from each phone's chain
 * (`cell.phones[]`), not from the cell: one cell may hold an Android and an iOS receiver, and each
 * is judged on its own chain. A passed cell passes every phone; a cell that failed without any phone's chain breaking (an error, a
 * step deadline) counts against every receiving phone in it: nothing passes vacuously.
 */
import type { CellResult, RunResult } from '../runner/results.js';
import type { PhoneOutcome } from './types.js';

const chainBroke = (links: CellResult['links']) => links.some((l) => l.status === 'failed');

export function phoneOutcomes(result: RunResult): PhoneOutcome[] {
  const out: PhoneOutcome[] = [];
  for (const scenario of result.scenarios) {
    for (const cell of scenario.cells) {
      const phones =
        cell.phones.length > 0
          ? cell.phones
          : [
              {
                phone: '',
                platform: cell.platform,
                app: cell.app,
                links: cell.links,
                firstBrokenLink: cell.firstBrokenLink,
              },
            ];
      const anyChainBroke = phones.some((p) => p.firstBrokenLink !== null || chainBroke(p.links));
      for (const p of phones) {
        const broke = p.firstBrokenLink !== null || chainBroke(p.links);
        // A failed cell with no broken chain is charged to all its phones; otherwise to the broken ones.
        const passed = cell.status === 'passed' || (anyChainBroke && !broke);
        out.push({
          scenario: scenario.id,
          cell: cell.id,
          phone: p.phone,
          platform: p.platform,
          app: p.app,
          passed,
          cellStatus: cell.status,
          firstBrokenLink: p.firstBrokenLink ?? p.links.find((l) => l.status === 'failed')?.name ?? null,
          errors: cell.errors,
          links: p.links,
        });
      }
    }
  }
  return out;
}
