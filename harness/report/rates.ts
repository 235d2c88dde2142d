/** Terminal lines for scenarios judged over trials: each rate and differential with its evidence. */
import type { RunResult } from '../runner/results.js';

export function formatRateLines(result: RunResult): string[] {
  const judged = result.scenarios.filter((s) => (s.rates ?? []).length > 0);
  if (judged.length === 0) return [];
  const out = ['Rates over trials:'];
  for (const s of judged) {
    out.push(`  ${s.id}`);
    for (const r of s.rates ?? []) out.push(`    ${r.passed ? '✔' : '✘'} ${r.text.en}`);
  }
  if (result.errorRates) out.push(`  ${result.errorRates.text.en}`, `  ${result.errorRates.text.ja}`);
  out.push('');
  return out;
}
