/**
 * The population page: one self-contained HTML file in the report's style (its CSS and language
 * switch), Japanese first. Per run: the verdict (can Android and iOS be told apart?), sensitivity per
 * platform over the days with intervals, the funnel of losses per link, the cohorts; then the what-if.
 */
import * as echarts from 'echarts';
import type { Platform } from '../devices/types.js';
import { esc, standalonePage, bilingual as tt } from '../report/html/page.js';
import { POPULATION_LINKS, type PopulationLink, type PopulationResult } from './results.js';
import type { PopulationComparison } from './run.js';
import { formatP, type Proportion, proportion } from './stats.js';
import type { PopulationReport } from './write.js';

type Lang = 'ja' | 'en';
const FONT = '"Noto Sans JP", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif';
const COLORS: Record<Platform, string> = { android: '#1a7f37', ios: '#0969da' };
const PLATFORM: Record<Platform, Record<Lang, string>> = {
  android: { ja: 'Android', en: 'Android' },
  ios: { ja: 'iOS', en: 'iOS' },
};
const LINK: Record<PopulationLink, Record<Lang, string>> = {
  contact: { ja: '接触', en: 'contact' },
  upload: { ja: '登録', en: 'upload' },
  publish: { ja: '公開', en: 'publish' },
  download: { ja: '取得', en: 'download' },
  match: { ja: '照合', en: 'match' },
  score: { ja: '評価', en: 'score' },
  notify: { ja: '通知', en: 'notify' },
};

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const rate = (p: Proportion) =>
  p.rate === null || p.interval === null
    ? '—'
    : `${pct(p.rate)} [${pct(p.interval[0])}–${pct(p.interval[1])}] (${p.successes}/${p.trials})`;

function chart(width: number, height: number, option: echarts.EChartsCoreOption): string {
  const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    c.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    return c.renderToSVGString();
  } finally {
    c.dispose();
  }
}

function bilingual(draw: (lang: Lang) => string, caption: Record<Lang, string>): string {
  return (['ja', 'en'] as const)
    .map(
      (lang) =>
        `<figure class="chart" lang="${lang}">${draw(lang)}<figcaption>${esc(caption[lang])}</figcaption></figure>`,
    )
    .join('');
}

/** Share of each day's new close contacts that was notified, per platform, with Wilson intervals. */
function daysChart(r: PopulationResult, lang: Lang): string {
  const days = [...new Set(r.counts.days.map((d) => d.date))].sort();
  const percent = (x: number) => Math.round(x * 1000) / 10;
  const series = (['android', 'ios'] as const).map((p) => {
    const byDate = new Map(r.counts.days.filter((d) => d.platform === p).map((d) => [d.date, d]));
    const props = days.map((date) => {
      const d = byDate.get(date);
      return proportion(d?.notified ?? 0, d?.closeContacts ?? 0, r.summary.alpha);
    });
    return {
      name: PLATFORM[p][lang],
      type: 'line',
      itemStyle: { color: COLORS[p] },
      data: props.map((x) => (x.rate === null ? null : percent(x.rate))),
      // One vertical segment per day: the interval around that day's rate.
      markLine: {
        silent: true,
        symbol: 'none',
        label: { show: false },
        lineStyle: { color: COLORS[p], width: 2, opacity: 0.4, type: 'solid' },
        data: props.flatMap((x, i) =>
          x.interval
            ? [[{ coord: [i, percent(x.interval[0])] }, { coord: [i, percent(x.interval[1])] }]]
            : [],
        ),
      },
    };
  });
  return chart(760, 300, {
    legend: { bottom: 0, data: (['android', 'ios'] as const).map((p) => PLATFORM[p][lang]) },
    grid: { left: 60, right: 20, top: 20, bottom: 60 },
    xAxis: {
      type: 'category',
      data: days,
      name: lang === 'ja' ? '濃厚接触の日' : 'day of close contact',
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      name: lang === 'ja' ? '通知された割合（%）' : 'notified (%)',
      nameLocation: 'middle',
      nameGap: 40,
    },
    series,
  });
}

/** Close contacts lost at each link, per platform: where the chain leaks. */
function funnelChart(r: PopulationResult, lang: Lang): string {
  return chart(760, 280, {
    legend: { bottom: 0 },
    grid: { left: 60, right: 20, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: POPULATION_LINKS.map((l) => LINK[l][lang]) },
    yAxis: {
      type: 'value',
      name: lang === 'ja' ? '失われた濃厚接触者' : 'close contacts lost',
      nameLocation: 'middle',
      nameGap: 44,
    },
    series: (['android', 'ios'] as const).map((p) => ({
      name: PLATFORM[p][lang],
      type: 'bar',
      itemStyle: { color: COLORS[p] },
      data: POPULATION_LINKS.map((l) => r.summary.platforms[p].lostAt[l]),
    })),
  });
}

function runSection(r: PopulationResult, n: number): string {
  const s = r.summary;
  const d = s.differential;
  const verdict = (['android', 'ios'] as const)
    .map(
      (p) =>
        `<li class="${s.platforms[p].sensitivity.successes > 0 ? 'pass' : 'fail'}"><strong>${esc(PLATFORM[p].ja)}</strong> ${tt('濃厚接触者への通知率', 'close contacts notified')}: ${esc(rate(s.platforms[p].sensitivity))}</li>`,
    )
    .join('');
  const cohortRows = r.counts.cohorts
    .map(
      (c) =>
        `<tr><td>${esc(c.platform)}</td><td>${esc(c.osVersion)}</td><td>${esc(c.app)}</td><td>${esc(c.path)}</td><td>${c.closeContacts}</td><td>${c.notifiedClose}</td><td>${c.nonCloseContacts}</td><td>${c.falseAlarms}</td><td>${POPULATION_LINKS.map((l) => `${LINK[l].en} ${c.lostAt[l]}`).join(', ')}</td></tr>`,
    )
    .join('\n');
  const m = r.metadata;
  return `<section class="population-run" id="run-${n}" aria-labelledby="run-${n}-h">
<h2 id="run-${n}-h">${tt(`集団：${m.release}`, `Population: ${m.release}`)}</h2>
<p class="differential ${d.passed ? 'pass' : 'fail'}" data-differential="${d.passed ? 'passed' : 'failed'}">${
    d.passed
      ? tt(
          'Android と iOS の通知率に有意な差はない ✔',
          'Android and iOS notification rates cannot be told apart ✔',
        )
      : tt('Android と iOS の通知率に有意な差がある ✘', 'Android and iOS notification rates differ ✘')
  } <span class="muted">(z = ${d.z.toFixed(2)}, p = ${formatP(d.pValue)}, α = ${s.alpha})</span></p>
<ul class="verdict">${verdict}</ul>
<p>${tt(
    `${r.counts.phones.toLocaleString('ja')} 台・${r.params.days} 日間（${m.firstDay}〜${m.lastDay}）、陽性者 ${r.counts.positives} 人のうち登録 ${r.counts.uploaders} 人、公開キー ${r.counts.exportedKeys}、シード ${m.seed}`,
    `${r.counts.phones.toLocaleString('en')} phones, ${r.params.days} days (${m.firstDay} … ${m.lastDay}), ${r.counts.positives} positives of whom ${r.counts.uploaders} registered, ${r.counts.exportedKeys} keys published, seed ${m.seed}`,
  )}</p>
${bilingual((lang) => daysChart(r, lang), { ja: '濃厚接触の日ごとの通知率（縦線は信頼区間）', en: 'Share notified by day of close contact (bars: confidence intervals)' })}
${bilingual((lang) => funnelChart(r, lang), { ja: '連鎖のどこで濃厚接触者が失われたか', en: 'Where in the chain close contacts were lost' })}
<details><summary>${tt('端末群ごとの内訳', 'Per cohort')}</summary>
<table class="cohorts"><thead><tr><th>platform</th><th>OS</th><th>app</th><th>EN</th><th>close</th><th>notified</th><th>non-close</th><th>false alarms</th><th>lost at</th></tr></thead>
<tbody>
${cohortRows}
</tbody></table></details>
<p class="muted">${tt('再現コマンド', 'Reproduce with')}: <code class="command">${esc(m.command)}</code></p>
</section>`;
}

function comparisonSection(c: PopulationComparison): string {
  const rows = (['android', 'ios'] as const)
    .map(
      (p) =>
        `<tr><th>${esc(PLATFORM[p].ja)}</th><td>${esc(rate(c[p].base))}</td><td>${esc(rate(c[p].other))}</td><td>p = ${formatP(c[p].test.pValue)} ${c[p].test.indistinguishable ? tt('（有意差なし）', '(no significant change)') : tt('（有意に変化）', '(significant change)')}</td></tr>`,
    )
    .join('');
  return `<section id="what-if" aria-labelledby="what-if-h">
<h2 id="what-if-h">${tt(`比較：${c.base} → ${c.other}`, `What-if: ${c.base} → ${c.other}`)}</h2>
<table class="comparison"><thead><tr><th></th><th>${esc(c.base)}</th><th>${esc(c.other)}</th><th>${tt('検定', 'test')}</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
}

export function renderPopulationPage(report: PopulationReport): string {
  return standalonePage({
    title: { ja: 'ichiren 一連 集団シミュレーション', en: 'ichiren population run' },
    heading: { ja: '集団で見る接触通知', en: 'Contact notification across a population' },
    main: `${report.comparison ? comparisonSection(report.comparison) : ''}
${report.runs.map(runSection).join('\n')}`,
  });
}
