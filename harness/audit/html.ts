/** The audit as one self-contained page in the report's style, Japanese first. */
import { esc, standalonePage, bilingual as tt } from '../report/html/page.js';
import type { AuditResult, MutantOutcome } from './audit.js';

const STATUS: Record<MutantOutcome['status'], [string, string]> = {
  caught: ['検出', 'caught'],
  survived: ['見逃し', 'survived'],
  'errors-only': ['エラーのみ（検出ではない）', 'errors only (not a catch)'],
  error: ['エラー', 'error'],
};

const DIRECTION: Record<string, [string, string]> = {
  under: ['通知の喪失', 'lost notifications'],
  over: ['過剰な通知', 'over-notification'],
};

function row(m: MutantOutcome): string {
  const [ja, en] = STATUS[m.status];
  const good = m.expected === 'none' ? m.status === 'survived' : m.status === 'caught';
  const detail =
    m.status === 'caught'
      ? `${m.namedLinks.join(', ')} (${m.failedCells.length})`
      : m.status === 'error'
        ? (m.error ?? '')
        : m.status === 'errors-only'
          ? `errored or timed out: ${(m.erroredCells ?? []).join(', ')}`
          : m.blindSpot
            ? `blind spot: ${m.blindSpot}`
            : m.closest.map((c) => `${c.cell}: ${c.changedLinks.join(', ')}`).join('; ') || '—';
  return `<tr class="${good ? 'pass' : 'fail'}" data-mutant="${esc(m.id)}" data-status="${m.status}"><td><code>${esc(m.id)}</code></td><td>${esc(m.class)}</td><td>${esc(m.where)}</td><td>${tt(...(DIRECTION[m.direction ?? 'under'] ?? ['', '']))}</td><td>${tt(ja, en)}</td><td>${esc(m.expected)}</td><td>${esc(detail)}</td><td>${esc(m.story)}</td></tr>`;
}

const pctOf = (x: number | undefined) => ((x ?? 0) * 100).toFixed(1);

function directions(r: AuditResult): string {
  const rows = Object.entries(r.byDirection ?? {})
    .filter(([, s]) => s.total > 0)
    .map(([d, s]) => {
      const [ja, en] = DIRECTION[d] ?? [d, d];
      return `<tr data-direction="${esc(d)}"><td>${tt(ja, en)}</td><td>${s.caught} / ${s.total} (${pctOf(s.rate)} %)</td><td>${s.atExpected ?? 0} / ${s.total} (${pctOf(s.atExpectedRate)} %)</td></tr>`;
    });
  return `<table class="audit"><thead><tr><th>${tt('方向', 'direction')}</th><th>${tt('検出', 'caught')}</th><th>${tt('期待した環で検出', 'caught at the expected link')}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function renderAuditPage(r: AuditResult): string {
  const pct = (r.score.rate * 100).toFixed(1);
  return standalonePage({
    title: { ja: 'ichiren 検出力監査', en: 'ichiren audit' },
    heading: { ja: 'シナリオ集の検出力監査', en: 'Detection power of the scenario library' },
    main: `<section id="score"><h2>${tt(`埋め込んだ欠陥 ${r.score.total} 件中 ${r.score.caught} 件を検出（${pct} %）`, `${r.score.caught} of ${r.score.total} planted defects caught (${pct} %)`)}</h2>
<p>${tt(`リリース ${r.metadata.release}、${r.metadata.cells} セル、シード ${r.metadata.seed}。対照（誰にも見えない変更）は${r.controlSurvived ? '見逃された（正しい）' : '検出された（誤り）'}。`, `Release ${r.metadata.release}, ${r.metadata.cells} cells, seed ${r.metadata.seed}. The control (a change nobody can see) ${r.controlSurvived ? 'survived, as it must' : 'was caught, which it must not be'}.`)}</p>
<p>${tt(`期待した環で検出: ${r.score.atExpected ?? 0} 件（${pctOf(r.score.atExpectedRate)} %）。エラーや時間切れだけのセルは検出に数えない。`, `Caught at the expected link: ${r.score.atExpected ?? 0} (${pctOf(r.score.atExpectedRate)} %). Cells that only errored or timed out are not counted as catches.`)}</p>
${directions(r)}</section>
<section id="mutants"><h2>${tt('欠陥ごとの結果', 'Per defect')}</h2>
<table class="audit"><thead><tr><th>id</th><th>${tt('分類', 'class')}</th><th>${tt('場所', 'where')}</th><th>${tt('方向', 'direction')}</th><th>${tt('結果', 'result')}</th><th>${tt('期待する環', 'expected link')}</th><th>${tt('途切れた環／最も近かったセル', 'links named / closest cells')}</th><th>${tt('内容', 'story')}</th></tr></thead>
<tbody>
${r.mutants.map(row).join('\n')}
</tbody></table></section>
<p class="muted">${tt('再現コマンド', 'Reproduce with')}: <code class="command">${esc(r.metadata.command)}</code></p>`,
  });
}
