/**
 * The history page: one self-contained HTML file, Japanese first with an English switch (both
 * languages are in the page; CSS shows one). One environment (target) at a time, with a switch when
 * the history holds several: it opens with one line per platform ("Android ✘ since …, iOS ✔"), each
 * linking to the first failing observation's evidence; then a timeline per platform, the state of
 * every series, the evidence, and the environment's observations with the server identity.
 */
import { jst, type Lang, linkName, PLATFORM_NAME, platformLine, TEXT } from '../catalog.js';
import type { RunRow, SeriesHistory } from '../history/store.js';
import { PLATFORMS, platformState } from '../rollup.js';
import type { SeriesState } from '../state.js';
import { seriesId } from '../types.js';
import { platformTimeline, seriesLabel } from './chart.js';

export interface EvidenceLink {
  readonly name: string;
  readonly status: string;
  readonly detail: string;
  readonly ja: string;
  readonly en: string;
}

export interface HistoryPageData {
  readonly generatedAt: string;
  readonly series: readonly SeriesHistory[];
  readonly runs: readonly RunRow[];
  /** Evidence of each failing (or just recovered) series' first failing observation, by series id. */
  readonly evidence: ReadonlyMap<
    string,
    readonly { cell: string; phone: string; links: readonly EvidenceLink[] }[]
  >;
}

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
const both = (t: { ja: string; en: string }) =>
  `<span lang="ja">${esc(t.ja)}</span><span lang="en">${esc(t.en)}</span>`;
const perLang = (f: (l: Lang) => string) => both({ ja: f('ja'), en: f('en') });
const anchor = (id: string) => `evidence-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** The first failure a state points at, if any. */
function firstFailure(state: SeriesState) {
  if (state.kind === 'failing') return state.since;
  if (state.kind === 'recovered') return state.failedSince;
  return undefined;
}

function headlineHtml(series: readonly SeriesHistory[]): string {
  return PLATFORMS.map((p) => {
    const st = platformState(series, p);
    const failing = series.find(
      (s) =>
        s.key.platform === p &&
        st.kind === 'failing' &&
        s.state.kind === 'failing' &&
        s.state.since.runId === st.since.runId,
    );
    const cls =
      st.kind === 'failing'
        ? 'fail'
        : st.kind === 'flapping'
          ? 'warn'
          : st.kind === 'unknown'
            ? 'none'
            : 'pass';
    const line = perLang((l) => platformLine(p, st, l));
    return `<li class="platform ${cls}" data-platform="${p}">${failing ? `<a href="#${anchor(seriesId(failing.key))}">${line}</a>` : line}</li>`;
  }).join('\n');
}

function stateCell(s: SeriesHistory): string {
  const st = s.state;
  const cls = st.kind === 'failing' ? 'fail' : st.kind === 'flapping' ? 'warn' : 'pass';
  const text = perLang((l) => {
    const word = TEXT.kind[st.kind][l];
    if (st.kind === 'failing')
      return `✘ ${word} — ${l === 'ja' ? `${jst(st.since.observedAt)} から（#${st.since.runId}）` : `since ${jst(st.since.observedAt)} (#${st.since.runId})`}`;
    if (st.kind === 'recovered') return `✔ ${word} — ${jst(st.since.observedAt)}`;
    if (st.kind === 'flapping') return `⚠ ${word} — ${st.flips}/${st.window - 1}`;
    return st.kind === 'passing' ? `✔ ${word}` : word;
  });
  const first = firstFailure(st);
  return `<td class="${cls}">${first ? `<a href="#${anchor(seriesId(s.key))}">${text}</a>` : text}</td>`;
}

function evidenceHtml(data: HistoryPageData, series: readonly SeriesHistory[]): string {
  const parts: string[] = [];
  for (const s of series) {
    const first = firstFailure(s.state);
    if (!first) continue;
    const phones = data.evidence.get(seriesId(s.key)) ?? [];
    const rows = phones
      .map(
        (p) =>
          `<h4>${esc(p.cell)} · ${esc(p.phone)}</h4><ol class="chain">${p.links
            .map(
              (l) =>
                `<li class="${l.status === 'failed' ? 'fail' : l.status === 'passed' ? 'pass' : 'skip'}">${perLang((lang) => linkName(l.name, lang))}: ${both({ ja: l.ja, en: l.en })}</li>`,
            )
            .join('')}</ol>`,
      )
      .join('');
    parts.push(`<section class="evidence" id="${anchor(seriesId(s.key))}">
<h3>${esc(seriesLabel(s))} · ${PLATFORM_NAME[s.key.platform]} — ${both(TEXT.firstFailure)} #${first.runId}</h3>
<dl>
<dt>${both({ ja: '時刻', en: 'time' })}</dt><dd>${esc(jst(first.observedAt))}</dd>
<dt>${both(TEXT.release)}</dt><dd>${esc(first.release)}</dd>
<dt>${both(TEXT.server)}</dt><dd>${esc(first.target)}</dd>
<dt>${both(TEXT.version)}</dt><dd>${esc(first.identity.serverVersion ?? '—')}</dd>
<dt>${both(TEXT.config)}</dt><dd><code>${esc(first.identity.configHash ?? '—')}</code></dd>
<dt>${both(TEXT.batches)}</dt><dd>${esc(first.identity.batchNumbers.slice(-5).join(', ') || '—')}</dd>
<dt>${both({ ja: '途切れた箇所', en: 'broken link' })}</dt><dd class="fail">${perLang((l) => linkName(first.brokenLink, l))}${first.detail ? ` — <code>${esc(first.detail)}</code>` : ''}</dd>
</dl>
${rows}
</section>`);
  }
  return parts.join('\n');
}

const CSS = `
body{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic",sans-serif;margin:2rem;color:#1f2328;max-width:1000px}
html[data-lang=ja] [lang=en]:not(html),html[data-lang=en] [lang=ja]:not(html){display:none}
.lang-switch{float:right}.lang-switch button[aria-pressed=true],.env-switch button[aria-pressed=true]{font-weight:bold}
ul.headline{list-style:none;padding:0;font-size:1.6rem}ul.headline li{margin:.3rem 0}
.pass{color:#1a7f37}.fail{color:#cf222e}.warn{color:#9a6700}.none,.skip{color:#6e7781}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left}
section.evidence{border-left:4px solid #cf222e;padding-left:1rem;margin:1.5rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#6e7781}
ol.chain li.fail{font-weight:bold}figure{margin:0}
`;

const SCRIPT = `document.querySelectorAll('[data-set-lang]').forEach(function(b){b.addEventListener('click',function(){
var l=b.getAttribute('data-set-lang');document.documentElement.setAttribute('data-lang',l);
document.querySelectorAll('[data-set-lang]').forEach(function(o){o.setAttribute('aria-pressed',String(o===b));});});});
document.querySelectorAll('[data-set-env]').forEach(function(b){b.addEventListener('click',function(){
var e=b.getAttribute('data-set-env');document.querySelectorAll('section.environment').forEach(function(s){s.hidden=s.getAttribute('data-environment')!==e;});
document.querySelectorAll('[data-set-env]').forEach(function(o){o.setAttribute('aria-pressed',String(o===b));});});});`;

/**
 * The environments in the history, the most recently observed first: each its own page section,
 * one shown at a time (a switch like the language one), so two environments never mix on a line,
 * a timeline or the runs table.
 */
export function environments(data: HistoryPageData): string[] {
  const seen = new Set<string>();
  for (const r of [...data.runs].reverse()) seen.add(r.target);
  for (const s of data.series) seen.add(s.key.target);
  return [...seen];
}

function environmentSection(data: HistoryPageData, target: string, index: number): string {
  const series = data.series.filter((s) => s.key.target === target);
  const byPlatform = PLATFORMS.map((p) => {
    const own = series.filter((s) => s.key.platform === p);
    if (own.length === 0) return '';
    const charts = (['ja', 'en'] as const)
      .map(
        (l) =>
          `<figure lang="${l}" aria-label="${esc(`${PLATFORM_NAME[p]} ${TEXT.timeline[l]}`)}">${platformTimeline(own, l)}</figure>`,
      )
      .join('');
    const rows = own
      .map((s) => `<tr><td>${esc(seriesLabel(s))}</td>${stateCell(s)}<td>${s.points.length}</td></tr>`)
      .join('');
    return `<section class="platform-timeline" data-platform="${p}">
<h3>${PLATFORM_NAME[p]} — ${both(TEXT.timeline)}</h3>${charts}
<table><thead><tr><th>${both(TEXT.scenario)}</th><th>${both(TEXT.state)}</th><th>${both(TEXT.runs)}</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
  }).join('\n');
  const runs = data.runs
    .filter((r) => r.target === target)
    .reverse()
    .map(
      (r) =>
        `<tr id="run-${r.id}"><td>#${r.id}</td><td>${esc(jst(r.observedAt))}</td><td>${esc(r.release)}</td><td>${esc(r.target)}</td><td class="${r.status === 'passed' ? 'pass' : 'fail'}">${esc(r.status)}${r.error ? ` — ${esc(r.error)}` : ''}</td><td><code>${esc(r.identity.configHash ?? '—')}</code></td><td>${esc(r.identity.batchNumbers.slice(-3).join(', ') || '—')}</td><td>${esc(r.identity.serverVersion ?? '—')}</td></tr>`,
    )
    .join('');
  return `<section class="environment" data-environment="${index}"${index === 0 ? '' : ' hidden'}>
<h2>${both(TEXT.server)}: <code>${esc(target)}</code></h2>
${series.length === 0 ? `<p>${both(TEXT.noHistory)}</p>` : `<ul class="headline">${headlineHtml(series)}</ul>`}
${byPlatform}
<h3>${both(TEXT.evidence)}</h3>
${evidenceHtml(data, series)}
<h3>${both(TEXT.runs)}</h3>
<table class="runs"><thead><tr><th>#</th><th>${both({ ja: '時刻', en: 'time' })}</th><th>${both(TEXT.release)}</th><th>${both(TEXT.server)}</th><th>${both(TEXT.state)}</th><th>${both(TEXT.config)}</th><th>${both(TEXT.batches)}</th><th>${both(TEXT.version)}</th></tr></thead><tbody>${runs}</tbody></table>
</section>`;
}

export function renderHistoryPage(data: HistoryPageData): string {
  const envs = environments(data);
  const envSwitch =
    envs.length > 1
      ? `<div class="env-switch" role="group" aria-label="環境 / Environment">${envs
          .map(
            (e, i) =>
              `<button type="button" data-set-env="${i}" aria-pressed="${i === 0}">${esc(e)}</button>`,
          )
          .join('')}</div>`
      : '';
  return `<!doctype html>
<html lang="ja" data-lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(TEXT.historyPage.ja)} — ${esc(TEXT.historyPage.en)}</title><style>${CSS}</style></head>
<body>
<div class="lang-switch" role="group" aria-label="言語 / Language"><button type="button" data-set-lang="ja" aria-pressed="true">日本語</button><button type="button" data-set-lang="en" aria-pressed="false">English</button></div>
<h1>${both(TEXT.historyPage)}</h1>
<p class="generated">${both({ ja: `更新 ${jst(data.generatedAt)}`, en: `updated ${jst(data.generatedAt)}` })}</p>
${envSwitch}
${envs.length === 0 ? `<p>${both(TEXT.noHistory)}</p>` : envs.map((e, i) => environmentSection(data, e, i)).join('\n')}
<script>${SCRIPT}</script>
</body></html>
`;
}
