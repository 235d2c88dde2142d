/**
 * The HTML report as one self-contained page (inline CSS, script and SVG; no network; works from
 * file://). Japanese first, English on a switch: every text exists in both and CSS shows one.
 */
import { LINK_DEFINITIONS } from '../../runner/links.js';
import {
  type CellResult,
  CHAIN_LINKS,
  type ChainLinkName,
  type LinkResult,
  type PhoneChain,
  type RunResult,
  type ScenarioResult,
  type Text,
} from '../../runner/results.js';
import {
  LINK_LABELS,
  NOT_RUN_REASONS,
  PLATFORM_LABELS,
  STATUS_LABELS,
  STATUS_SYMBOLS,
  verdictText,
} from '../i18n.js';
import { type PlatformCount, phonesOutcome, platformCount } from '../receivers.js';
import { type DrawChart, drawChart, KIND_LABELS, type Lang, POLICY } from './charts.js';
import { esc, standalonePage } from './page.js';
import { ratesBlock } from './rates-section.js';

const PLATFORMS = ['android', 'ios'] as const;
/** Scenarios with more cells than this fold their passing cells away. */
const FOLD_PASSED_CELLS_ABOVE = 4;

export { esc };

/** Both languages; CSS hides the one not chosen. */
function t(text: Text): string {
  return `<span lang="ja">${esc(text.ja)}</span><span lang="en">${esc(text.en)}</span>`;
}
const tt = (ja: string, en: string) => t({ ja, en });

/** Both languages of a chart: echarts renders each once on the server. */
function bilingualChart(draw: (lang: Lang) => string, caption: Text): string {
  return (['ja', 'en'] as const)
    .map(
      (lang) =>
        `<figure class="chart" lang="${lang}" role="group" aria-label="${esc(caption[lang])}">${draw(lang)}<figcaption>${esc(caption[lang])}</figcaption></figure>`,
    )
    .join('');
}

function scenarioFailed(s: ScenarioResult): boolean {
  return s.cells.some((c) => c.status !== 'passed');
}

function slug(id: string): string {
  return `s-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function verdictSection(result: RunResult): string {
  const items = result.summary.verdict
    .map((v) => {
      const text = verdictText(v.platform, v.app, v.reaches, v.outcome === 'not-finished');
      return `<li class="verdict-item ${v.outcome}" data-platform="${v.platform}" data-app="${esc(v.app)}" data-reaches="${v.reaches}" data-outcome="${v.outcome}">${t(text)}<span class="counts">${tt(`受信端末 成功 ${v.passed}・失敗 ${v.failed}`, `receiving phones: ${v.passed} held, ${v.failed} did not`)}</span></li>`;
    })
    .join('');
  const s = result.summary;
  const status: Record<RunResult['status'], Text> = {
    passed: { ja: '合格', en: 'passed' },
    failed: { ja: '不合格', en: 'failed' },
    timedout: { ja: '時間切れ', en: 'timed out' },
    interrupted: { ja: '中断', en: 'interrupted' },
  };
  return `<section class="verdict" id="verdict" aria-labelledby="verdict-h">
<h2 id="verdict-h">${tt('判定', 'Verdict')}</h2>
<ul>${items}</ul>
<p class="run-status" data-run-status="${result.status}">${tt('実行結果', 'Run')}: <strong>${t(status[result.status])}</strong> — ${tt(
    `シナリオ ${s.scenarios}・セル ${s.cells}（成功 ${s.passed}・失敗 ${s.failed}）`,
    `${s.scenarios} scenarios, ${s.cells} cells (${s.passed} passed, ${s.failed} failed)`,
  )}</p>
${notRunBlock(result.notRun ?? [])}
</section>`;
}

/** Interrupted runs: the cells that did not run, each with its reason. */
function notRunBlock(notRun: NonNullable<RunResult['notRun']>): string {
  if (notRun.length === 0) return '';
  const items = notRun
    .map(
      (c) =>
        `<li data-cell="${esc(c.id)}" data-reason="${c.reason}"><code>${esc(c.id)}</code> — ${t(NOT_RUN_REASONS[c.reason])}</li>`,
    )
    .join('');
  return `<details class="not-run" data-not-run="${notRun.length}"><summary>${tt(`未実施のセル（${notRun.length}）`, `Cells not run (${notRun.length})`)}</summary><ul>${items}</ul></details>`;
}

/** "broken at score" for a link, else the cell status (timed out, error). */
function whyText(why: PlatformCount['why']): string {
  if (why === null) return '';
  return why in LINK_LABELS
    ? tt(`${LINK_LABELS[why as ChainLinkName].ja}で途切れ`, `broken at ${why}`)
    : esc(why);
}

/** Receiving phones of this platform that held, over the scenario's cells (per phone, not per cell). */
function comparisonCell(s: ScenarioResult, platform: 'android' | 'ios'): string {
  const c = platformCount(s, platform);
  if (c.total === 0) return `<td class="none">${tt('対象外', 'n/a')}</td>`;
  if (c.held) return `<td class="ok">✔ ${c.passed}/${c.total}</td>`;
  return `<td class="ng">✘ ${c.passed}/${c.total} ${whyText(c.why)}</td>`;
}

function comparisonSection(result: RunResult): string {
  const rows = result.scenarios
    .map(
      (s) =>
        `<tr data-scenario="${esc(s.id)}"><th scope="row"><a href="#${slug(s.id)}">${t(s.title)}</a><div class="meta-line">${esc(s.id)}</div></th>${PLATFORMS.map((p) => comparisonCell(s, p)).join('')}</tr>`,
    )
    .join('\n');
  return `<section id="comparison" aria-labelledby="comparison-h">
<h2 id="comparison-h">${tt('Android と iOS の比較', 'Android vs iOS')}</h2>
<table class="comparison">
<thead><tr><th scope="col">${tt('シナリオ', 'Scenario')}</th><th scope="col">Android</th><th scope="col">iOS</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${errorRatesNote(result)}
</section>`;
}

/** The run's error-rate statement under the comparison, when it judged rates over trials. */
function errorRatesNote(result: RunResult): string {
  const e = result.errorRates;
  if (!e) return '';
  return `<p class="error-rates" data-family-alpha="${e.familyAlpha}" data-tests="${e.tests}">${tt(e.text.ja, e.text.en)}</p>`;
}

function linkItem(link: LinkResult, firstBroken: boolean): string {
  const label = LINK_LABELS[link.name];
  const status = STATUS_LABELS[link.status];
  const aria = `${label.ja} / ${label.en}: ${status.ja} / ${status.en}`;
  const marker = link.held
    ? `<span class="broken-here held">${tt('途切れず（ここで途切れるはずだった）', 'held; expected a break here')}</span>`
    : firstBroken
      ? `<span class="broken-here">${tt('ここで途切れた', 'broke here')}</span>`
      : '';
  const title = `${link.detail}\n(${link.name}: ${LINK_DEFINITIONS[link.name].en})`;
  return `<li><span class="link ${link.status}${firstBroken ? ' first-broken' : ''}" data-link="${link.name}" data-status="${link.status}" title="${esc(title)}" aria-label="${esc(aria)}">${STATUS_SYMBOLS[link.status]} ${t(label)}${marker}</span></li>`;
}

function phoneChain(phone: PhoneChain): string {
  const outcomes = phone.expectedUpload?.join(' → ');
  const expect = outcomes
    ? tt(`送信の結果は ${outcomes} のはず`, `uploads should end ${outcomes}`)
    : phone.expectedNotified
      ? tt('通知されるはず', 'should be notified')
      : tt('通知されないはず', 'should not be notified');
  const got = outcomes
    ? phone.firstBrokenLink === null
      ? tt('そのとおり', 'as expected')
      : tt('異なる', 'they did not')
    : phone.notified
      ? tt('通知された', 'notified')
      : tt('通知されなかった', 'not notified');
  const broken = phone.links.find((l) => l.status === 'failed');
  const evidence = broken
    ? `<div class="evidence" data-link="${broken.name}"><span class="ev-link">${t(LINK_LABELS[broken.name])}:</span>${t(broken.text)}${
        broken.evidence ? `<code>${esc(JSON.stringify(broken.evidence))}</code>` : ''
      }</div>`
    : '';
  return `<div class="phone" data-phone="${esc(phone.phone)}">
<div class="phone-name">${esc(phone.phone)} — ${PLATFORM_LABELS[phone.platform]} ${esc(phone.osVersion)}, ${esc(phone.app)}${phone.enPath ? ` (EN ${phone.enPath})` : ''}${phone.sender ? ` · ${tt(`接触相手 ${esc(phone.sender)}`, `met ${esc(phone.sender)}`)}` : ''}: ${expect} / ${got}</div>
<ol class="chain" aria-label="${esc(`${phone.phone}: 接触→通知 / contact→notify`)}">${phone.links.map((l) => linkItem(l, l.name === phone.firstBrokenLink)).join('')}</ol>
${evidence}
</div>`;
}

function cellBlock(cell: CellResult): string {
  const mark =
    cell.status === 'passed' ? '<span class="mark-pass">✔</span>' : '<span class="mark-fail">✘</span>';
  const errors = cell.errors.length
    ? `<ul class="errors">${cell.errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>`
    : '';
  const phones =
    cell.phones.length > 1 ? ` <span class="phones-outcome">${esc(phonesOutcome(cell))}</span>` : '';
  return `<section class="cell" data-cell="${esc(cell.id)}" data-status="${cell.status}">
<h4>${mark} ${esc(cell.id)}${phones} <span class="summary-note">${(cell.durationMs / 1000).toFixed(2)} s · seed ${cell.seed}</span></h4>
${cell.phones.map(phoneChain).join('\n')}
${errors}
</section>`;
}

function timelineBlock(cell: CellResult, draw: DrawChart): string {
  if (cell.timeline.length === 0) return '';
  const rows = cell.timeline
    .map(
      (e) =>
        `<tr><td>${esc(e.label)}</td><td>${t({ ja: KIND_LABELS[e.kind].ja, en: KIND_LABELS[e.kind].en })}</td><td>${esc(e.phones.join(', '))}</td><td>${esc(e.detail)}</td></tr>`,
    )
    .join('');
  return `<h3>${tt('タイムライン', 'Timeline')}</h3>
${bilingualChart((lang) => draw({ kind: 'timeline', events: cell.timeline, lang }), { ja: `タイムライン（${cell.id}）`, en: `Timeline (${cell.id})` })}
<details class="timeline-events"><summary>${tt('出来事の一覧', 'List of events')}</summary>
<table class="timeline-table"><thead><tr><th>${tt('時刻', 'When')}</th><th>${tt('種類', 'Kind')}</th><th>${tt('端末', 'Phones')}</th><th>${tt('内容', 'Detail')}</th></tr></thead><tbody>${rows}</tbody></table>
</details>`;
}

function sweepBlock(s: ScenarioResult, draw: DrawChart): string {
  if (!s.sweep || s.sweep.length === 0) return '';
  const groups = new Map<string, { platform: 'android' | 'ios'; app: string }>();
  for (const p of s.sweep) groups.set(`${p.platform}|${p.app}`, { platform: p.platform, app: p.app });
  const maps = [...groups.values()]
    .map(({ platform, app }) => {
      const points = s.sweep!.filter((p) => p.platform === platform && p.app === app);
      const title = `${PLATFORM_LABELS[platform]} (${app})`;
      const notified = points.filter((p) => p.notified).length;
      return `<div class="sweep-map" data-platform="${platform}" data-app="${esc(app)}" data-notified="${notified}" data-points="${points.length}">${bilingualChart(
        (lang) => draw({ kind: 'sweep', points, title, lang }),
        {
          ja: `${title}：${points.length}点中 ${notified}点で通知`,
          en: `${title}: notified at ${notified} of ${points.length} points`,
        },
      )}</div>`;
    })
    .join('');
  return `<h3>${tt(
    `通知された範囲と基準（${POLICY.distanceM} m・${POLICY.durationMin}分）`,
    `Where notifications happened vs the policy line (${POLICY.distanceM} m, ${POLICY.durationMin} min)`,
  )}</h3>
<div class="sweep-maps">${maps}</div>`;
}

function scenarioSection(s: ScenarioResult, draw: DrawChart): string {
  const failed = scenarioFailed(s);
  const brokenNote = PLATFORMS.map((p) => {
    const c = platformCount(s, p);
    if (c.why === null) return '';
    return `${PLATFORM_LABELS[p]}: ${whyText(c.why)}`;
  })
    .filter(Boolean)
    .join(' · ');
  const mark = failed ? '<span class="mark-fail">✘</span>' : '<span class="mark-pass">✔</span>';
  const cells = s.cells.filter((c) => c.status !== 'passed' || s.cells.length <= FOLD_PASSED_CELLS_ABOVE);
  const foldedPassed =
    s.cells.length > FOLD_PASSED_CELLS_ABOVE ? s.cells.filter((c) => c.status === 'passed') : [];
  const folded = foldedPassed.length
    ? `<details class="passed-cells"><summary>${tt(`成功したセル（${foldedPassed.length}）`, `Passed cells (${foldedPassed.length})`)}</summary>${foldedPassed.map(cellBlock).join('\n')}</details>`
    : '';
  return `<details class="scenario ${failed ? 'failed' : 'passed'}" id="${slug(s.id)}" data-scenario="${esc(s.id)}" data-status="${failed ? 'failed' : 'passed'}">
<summary>${mark} ${t(s.title)} <span class="summary-note">${esc(s.id)}${brokenNote ? ` — ${brokenNote}` : ''}</span></summary>
<div class="body">
<p>${t(s.purpose)}</p>
<p class="meta-line">${tt('ファイル', 'File')}: <code>${esc(s.file)}</code>${s.tags.length ? ` · ${tt('タグ', 'tags')}: ${s.tags.map(esc).join(', ')}` : ''}</p>
${sweepBlock(s, draw)}
${ratesBlock(s, draw)}
<h3>${tt('一連の流れ（受信端末ごと）', 'The chain, per receiving phone')}</h3>
${cells.map(cellBlock).join('\n')}
${folded}
${s.cells[0] ? timelineBlock(s.cells[0], draw) : ''}
</div>
</details>`;
}

/** What each link means (runner/links.ts, the same table as docs/links.md). */
function linksLegend(): string {
  const rows = CHAIN_LINKS.map(
    (n) =>
      `<tr data-link="${n}"><th scope="row">${t(LINK_LABELS[n])}</th><td>${t(LINK_DEFINITIONS[n])}</td></tr>`,
  ).join('');
  return `<details class="links-legend" id="links"><summary>${tt('各段階の成立条件', 'What each link means')}</summary>
<table><tbody>${rows}</tbody></table>
</details>`;
}

/** Cells not run because their app lacks a trait the scenario requires. */
function notApplicableText(na: RunResult['metadata']['notApplicable']): string {
  if (!na || na.length === 0) return '—';
  const items = na.map(
    (n) => `<li><code>${esc(n.cell)}</code> (${esc(n.app)}: ${n.missing.map(esc).join(', ')})</li>`,
  );
  return `${tt('アプリが前提の振る舞いを持たないため実行せず', 'not run: the app lacks a behaviour the scenario requires')}<ul>${items.join('')}</ul>`;
}

function metadataSection(result: RunResult): string {
  const m = result.metadata;
  const row = (label: Text, value: string) => `<dt>${t(label)}</dt><dd>${value}</dd>`;
  return `<section id="metadata" aria-labelledby="metadata-h">
<h2 id="metadata-h">${tt('実行情報', 'Run details')}</h2>
<dl class="metadata">
${row({ ja: '対象サーバー', en: 'Target' }, `${esc(m.target.kind)}: ${esc(m.target.detail)}`)}
${row({ ja: 'リリース', en: 'Release' }, esc(m.release))}
${row({ ja: 'サーバーの振る舞い', en: 'Server behaviour' }, esc(m.serverBehaviour ?? '—'))}
${row({ ja: 'アプリ', en: 'Apps' }, `Android: ${esc(m.apps.android)} · iOS: ${esc(m.apps.ios)}`)}
${row({ ja: 'シード', en: 'Seed' }, `<code>${m.seed}</code>`)}
${row({ ja: '所要時間', en: 'Duration' }, `${(m.durationMs / 1000).toFixed(1)} s`)}
${row({ ja: '開始・終了', en: 'Started, finished' }, `${esc(m.startedAt)} — ${esc(m.finishedAt)}`)}
${row({ ja: '対象外のセル', en: 'Not applicable' }, notApplicableText(m.notApplicable))}
${row({ ja: '再現コマンド', en: 'Reproduce with' }, `<code class="command">${esc(m.command)}</code>`)}
${row({ ja: '環境', en: 'Environment' }, `ichiren ${esc(m.ichirenVersion)} · Node ${esc(m.node)} · ${esc(m.platform)}`)}
${row({ ja: 'ブラウザー', en: 'Browser' }, esc(m.browser ?? '—'))}
</dl>
</section>`;
}

/**
 * Renders the whole report page for a run. Pure: the same RunResult gives the same page. `draw`
 * draws each chart (the HTML reporter's leaves a mark for its worker thread to fill, report-charts.ts).
 */
export function renderHtml(result: RunResult, draw: DrawChart = drawChart): string {
  return standalonePage({
    title: {
      ja: `ichiren 一連 結合テスト報告 — ${result.metadata.release}`,
      en: `ichiren end-to-end test report — ${result.metadata.release}`,
    },
    heading: {
      ja: '接触通知までの一連の流れの結合テスト',
      en: 'End-to-end test of the chain up to the contact notification',
    },
    generator: `ichiren ${result.metadata.ichirenVersion}`,
    skipTo: { id: 'verdict', ja: '判定へ移動', en: 'Skip to verdict' },
    main: `${verdictSection(result)}
${comparisonSection(result)}
<section id="scenarios" aria-labelledby="scenarios-h">
<h2 id="scenarios-h">${tt('シナリオ', 'Scenarios')}</h2>
${linksLegend()}
${result.scenarios.map((s) => scenarioSection(s, draw)).join('\n')}
</section>
${metadataSection(result)}`,
    footer: `ichiren ${esc(result.metadata.ichirenVersion)} · ${esc(result.metadata.finishedAt)}`,
  });
}
