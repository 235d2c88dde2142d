/** The audit for the person at the terminal: one line per defect, then the score. */
import type { AuditResult, MutantOutcome } from './audit.js';

export function formatMutant(m: MutantOutcome): string {
  const seconds = `${(m.durationMs / 1000).toFixed(1)} s`;
  if (m.status === 'error') return `! error     ${m.id}: ${m.error}`;
  if (m.status === 'errors-only')
    return `! errors    ${m.id}  no cell failed; ${m.erroredCells?.length ?? 0} cell(s) errored or timed out (not a catch): ${(m.erroredCells ?? []).join(', ')}  (${seconds})`;
  if (m.expected === 'none')
    return `${m.status === 'survived' ? '✔' : '✘'} control   ${m.id} ${m.status} (it must survive)  (${seconds})`;
  const over = m.direction === 'over' ? ' [over-notification]' : '';
  if (m.status === 'caught')
    return `✔ caught    ${m.id}${over}  at ${m.namedLinks.join(', ')} (expected ${m.expected}${m.namedExpected ? '' : ' — not named'}), ${m.failedCells.length} cell(s)  (${seconds})${m.example ? `\n              e.g. ${m.example.cell} ${m.example.link}: ${m.example.detail}` : ''}`;
  const closest = m.blindSpot
    ? `; blind spot: ${m.blindSpot}`
    : m.closest.length
      ? `; closest: ${m.closest.map((c) => `${c.cell} (${c.changedLinks.join(', ')})`).join('; ')}`
      : "; no cell's evidence moved";
  return `✘ survived  ${m.id}${over}  (expected ${m.expected})${closest}  (${seconds})`;
}

export function formatAudit(r: AuditResult): string {
  const baseline =
    r.baseline.failed > 0
      ? `\nwarning: ${r.baseline.failed} cell(s) fail without any defect and were left out: ${r.baseline.failedCells.join(', ')}`
      : '';
  if (r.baseline.passed === 0)
    return `audit: every cell fails without any defect; fix the library first${baseline}`;
  const byClass = new Map<string, { caught: number; total: number }>();
  for (const m of r.mutants.filter((x) => x.expected !== 'none')) {
    const c = byClass.get(m.class) ?? { caught: 0, total: 0 };
    c.total++;
    if (m.status === 'caught') c.caught++;
    byClass.set(m.class, c);
  }
  const pct = (x: number | undefined) => ((x ?? 0) * 100).toFixed(1);
  const errorsOnly = r.mutants.filter((m) => m.status === 'errors-only').length;
  const lines = [
    '',
    `detection by class:`,
    ...[...byClass.entries()].map(([k, v]) => `  ${k.padEnd(28)} ${v.caught}/${v.total}`),
    ...Object.entries(r.byDirection ?? {})
      .filter(([, s]) => s.total > 0)
      .map(
        ([d, s]) =>
          `  ${(d === 'over' ? 'over-notification' : 'lost notifications').padEnd(28)} caught ${s.caught}/${s.total} (${pct(s.rate)} %), at the expected link ${s.atExpected ?? 0}/${s.total} (${pct(s.atExpectedRate)} %)`,
      ),
    `audit score: ${r.score.caught} of ${r.score.total} planted defects caught (${pct(r.score.rate)} %); ` +
      `at the expected link: ${r.score.atExpected ?? 0} (${pct(r.score.atExpectedRate)} %); ` +
      `${errorsOnly > 0 ? `${errorsOnly} only errored or timed out (not catches); ` : ''}` +
      `control ${r.controlSurvived ? 'survived ✔' : 'did not survive ✘'}; ${r.metadata.cells} cells × ${r.mutants.length + 1} runs in ${(r.metadata.durationMs / 1000).toFixed(0)} s${baseline}`,
  ];
  return lines.join('\n');
}
