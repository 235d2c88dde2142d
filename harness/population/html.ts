/**
 * The population page: one self-contained HTML file in the report's style (its CSS and language
 * switch), Japanese first. Per run: the verdict (can Android and iOS be told apart?), sensitivity per
 * platform over the days with intervals, the funnel of losses per link, the cohorts; then the what-if.
 */
import * as echarts from 'echarts';
import type { Platform } from '../devices/types.js';
import { esc, standalonePage, bilingual as tt } from '../report/html/page.js';
import type { JudgedExpectation } from './expectations.js';
import { CLOSE_CONTACT } from './model.js';
import { POPULATION_LINKS, type PopulationLink, type PopulationResult } from './results.js';
import type { PopulationComparison, RateChange } from './run.js';
import { formatP, POWER, type Proportion, proportion, type Resolution } from './stats.js';
import { DISTANCE_MODEL, type EffectiveThreshold, PROBE_MAX_DB } from './threshold.js';
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

/** A 0–100 % value axis named in the middle. */
const percentAxis = (name: string, nameGap: number, [min, max]: readonly [number, number] = [0, 100]) => ({
  type: 'value',
  min,
  max,
  name,
  nameLocation: 'middle',
  nameGap,
});

function bilingual(draw: (lang: Lang) => string, caption: Record<Lang, string>): string {
  return (['ja', 'en'] as const)
    .map(
      (lang) =>
        `<figure class="chart" lang="${lang}">${draw(lang)}<figcaption>${esc(caption[lang])}</figcaption></figure>`,
    )
    .join('');
}

/** Share of each day's new close contacts that was notified, per platform, with exact intervals. */
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
    yAxis: percentAxis(lang === 'ja' ? '通知された割合（%）' : 'notified (%)', 40),
    series,
  });
}

/**
 * The trade-off the threshold sets: per platform, sensitivity against false alarms at each whole dB
 * of the sweep (labelled), with the run's own operating point beside the curve.
 */
function sweepChart(r: PopulationResult, lang: Lang): string {
  const sweep = r.counts.sweep ?? [];
  const percent = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);
  const series = (['android', 'ios'] as const).flatMap((p) => {
    const points = sweep
      .filter((x) => x.platform === p)
      .map((x) => ({
        db: x.thresholdDb,
        fa: percent(x.nonCloseContacts ? x.falseAlarms / x.nonCloseContacts : null),
        se: percent(x.closeContacts ? x.notifiedClose / x.closeContacts : null),
      }))
      .filter((x) => x.fa !== null && x.se !== null);
    const own = r.summary.platforms[p];
    return [
      {
        name: `${PLATFORM[p][lang]} ${lang === 'ja' ? '閾値を変えた場合' : 'what-if threshold'}`,
        type: 'line',
        itemStyle: { color: COLORS[p] },
        symbolSize: 6,
        label: { show: true, position: 'top', fontSize: 9, color: COLORS[p], formatter: '{@[2]}' },
        labelLayout: { hideOverlap: true },
        data: points.map((x) => [x.fa, x.se, x.db]),
      },
      {
        name: `${PLATFORM[p][lang]} ${lang === 'ja' ? 'この版' : 'this build'}`,
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 14,
        itemStyle: { color: COLORS[p], borderColor: '#000', borderWidth: 1 },
        data:
          own.falseAlarms.rate === null || own.sensitivity.rate === null
            ? []
            : [[percent(own.falseAlarms.rate), percent(own.sensitivity.rate)]],
      },
    ];
  });
  // Axes to the nearest 10 % around every point, the builds' own included: the curve fills the chart.
  const all = series.flatMap((x) => x.data as (number | null)[][]);
  const range = (i: number): [number, number] => {
    const v = all.map((d) => d[i]).filter((x): x is number => x !== null);
    return v.length === 0
      ? [0, 100]
      : [Math.floor(Math.min(...v) / 10) * 10, Math.min(100, Math.ceil(Math.max(...v) / 10) * 10 || 10)];
  };
  return chart(760, 420, {
    legend: { bottom: 0, itemGap: 24 },
    grid: { left: 60, right: 30, top: 20, bottom: 80 },
    xAxis: percentAxis(
      lang === 'ja' ? '誤報率：通知された非濃厚接触者（%）' : 'false alarms: non-close contacts notified (%)',
      28,
      range(0),
    ),
    yAxis: percentAxis(
      lang === 'ja' ? '感度：通知された濃厚接触者（%）' : 'sensitivity: close contacts notified (%)',
      40,
      range(1),
    ),
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

const pp = (x: number) => `${(x * 100).toFixed(1)} pp`;

function resolutionText(v: Resolution, detectable: number | null, alpha: number): string {
  const mdd = (ja: boolean) =>
    detectable === null
      ? ja
        ? '試行なし'
        : 'no trials'
      : ja
        ? `検出できる差 ≥ ${pp(detectable)}（α = ${alpha}、検出力 ${POWER * 100} %）`
        : `detectable difference ≥ ${pp(detectable)} at α = ${alpha}, ${POWER * 100} % power`;
  if (v === 'differ') return tt('差がある ✘', 'differ ✘');
  if (v === 'same') return tt(`差はない ✔（${mdd(true)}）`, `cannot be told apart ✔ (${mdd(false)})`);
  return tt(`判定不能（n が小さすぎる：${mdd(true)}）`, `inconclusive (n too small: ${mdd(false)})`);
}

function thresholdText(t: EffectiveThreshold): string {
  const at =
    t.minutesAt1m === null ? '—' : tt(`1 m で ${t.minutesAt1m} 分以上`, `≥ ${t.minutesAt1m} min at 1 m`);
  if (t.attenuationDb === null)
    return `<td colspan="2">${tt('通知しない（どの接触も閾値に届かない）', 'never notifies (no contact reaches the score)')}</td><td>${at}</td>`;
  if (t.attenuationDb >= PROBE_MAX_DB)
    return `<td colspan="2">${tt('照合すれば必ず通知（減衰の上限なし）', 'any match notifies (no attenuation limit)')}</td><td>${at}</td>`;
  return `<td>≤ ${t.attenuationDb} dB</td><td>≈ ${t.distanceM} m</td><td>${at}</td>`;
}

/** The ground truth and each build's effective threshold side by side. */
function thresholdsTable(r: PopulationResult): string {
  const rows = r.counts.thresholds
    .map(
      (t) =>
        `<tr data-threshold="${esc(t.platform)}"><th>${esc(PLATFORM[t.platform].en)} ${esc(t.osVersion)} · ${esc(t.app)} · EN ${esc(t.path)}</th>${thresholdText(t)}</tr>`,
    )
    .join('');
  return `<table class="thresholds"><thead><tr><th></th><th>${tt('減衰', 'attenuation')}</th><th>${tt('距離', 'distance')}</th><th>${tt('時間', 'duration')}</th></tr></thead><tbody>
<tr class="truth"><th>${tt('濃厚接触の定義（正解）', 'close contact (ground truth)')}</th><td>—</td><td>≤ ${CLOSE_CONTACT.distanceM} m</td><td>${tt(`${CLOSE_CONTACT.minutes} 分以上`, `≥ ${CLOSE_CONTACT.minutes} min`)}</td></tr>
${rows}</tbody></table>
<p class="muted">${tt('各版の実効閾値：30 分の接触を一定の減衰で端末のフレームワークが評価し、アプリが判定した結果。距離は電波モデルの屋内フィットによる平均', "Each build's effective threshold: a 30-minute contact at one attenuation, scored by the phone's framework and decided by the app. Distance: the radio model's indoor mean")}: ${esc(DISTANCE_MODEL.source)}</p>`;
}

const RATE: Record<JudgedExpectation['rate'], Record<Lang, string>> = {
  sensitivity: { ja: '感度', en: 'sensitivity' },
  falseAlarm: { ja: '誤報率', en: 'false alarms' },
};

function expectationsList(es: readonly JudgedExpectation[]): string {
  if (es.length === 0) return '';
  const mark = (e: JudgedExpectation) =>
    e.verdict === 'holds'
      ? tt('満たす ✔', 'holds ✔')
      : e.verdict === 'fails'
        ? tt('満たさない ✘', 'fails ✘')
        : tt('判定不能（区間が境界をまたぐ）', 'inconclusive (interval straddles the bound)');
  const items = es
    .map(
      (e) =>
        `<li class="${e.verdict === 'holds' ? 'pass' : 'fail'}" data-expectation="${e.verdict}"><strong>${esc(PLATFORM[e.platform].en)}</strong> ${tt(RATE[e.rate].ja, RATE[e.rate].en)} ${esc(e.bound.op)} ${e.bound.value}: ${esc(rate(e.proportion))} — ${mark(e)}</li>`,
    )
    .join('');
  return `<h3>${tt('期待値', 'Expectations')}</h3><ul class="expectations">${items}</ul>`;
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
<p class="differential ${d.passed ? 'pass' : 'fail'}" data-differential="${d.verdict}">${tt('Android と iOS の通知率：', 'Android and iOS notification rates: ')}${resolutionText(d.verdict, d.detectableDifference, s.alpha)} <span class="muted">(z = ${d.z.toFixed(2)}, p = ${formatP(d.pValue)}, α = ${s.alpha})</span></p>
<ul class="verdict">${verdict}</ul>
${expectationsList(s.expectations)}
<h3>${tt('濃厚接触の定義と各版の閾値', 'The close-contact definition and each build’s threshold')}</h3>
${thresholdsTable(r)}
<p>${tt(
    `${r.counts.phones.toLocaleString('ja')} 台・${r.params.days} 日間（${m.firstDay}〜${m.lastDay}）、陽性者 ${r.counts.positives} 人のうち登録 ${r.counts.uploaders} 人、公開キー ${r.counts.exportedKeys}、シード ${m.seed}`,
    `${r.counts.phones.toLocaleString('en')} phones, ${r.params.days} days (${m.firstDay} … ${m.lastDay}), ${r.counts.positives} positives of whom ${r.counts.uploaders} registered, ${r.counts.exportedKeys} keys published, seed ${m.seed}`,
  )}</p>
${bilingual((lang) => daysChart(r, lang), { ja: '濃厚接触の日ごとの通知率（縦線は信頼区間）', en: 'Share notified by day of close contact (bars: confidence intervals)' })}
${bilingual((lang) => funnelChart(r, lang), { ja: '連鎖のどこで濃厚接触者が失われたか', en: 'Where in the chain close contacts were lost' })}
${
  r.counts.sweep && r.metadata.sweepThresholdDb
    ? `<div class="sweep" id="sweep-${n}">${bilingual((lang) => sweepChart(r, lang), {
        ja: `閾値を ${r.metadata.sweepThresholdDb[0]}〜${r.metadata.sweepThresholdDb[1]} dB で変えた場合の感度と誤報率（点の数字は dB、◆はこの版）。規則：${CLOSE_CONTACT.minutes} 分以上を閾値以下の減衰で検出したら通知`,
        en: `Sensitivity against false alarms for thresholds ${r.metadata.sweepThresholdDb[0]}–${r.metadata.sweepThresholdDb[1]} dB (labels: dB; ◆: this build). Rule: notify after ${CLOSE_CONTACT.minutes} min at or below the threshold`,
      })}</div>`
    : ''
}
<details><summary>${tt('端末群ごとの内訳', 'Per cohort')}</summary>
<table class="cohorts"><thead><tr><th>platform</th><th>OS</th><th>app</th><th>EN</th><th>close</th><th>notified</th><th>non-close</th><th>false alarms</th><th>lost at</th></tr></thead>
<tbody>
${cohortRows}
</tbody></table></details>
<p class="muted">${tt('再現コマンド', 'Reproduce with')}: <code class="command">${esc(m.command)}</code></p>
</section>`;
}

function changeRow(platform: Platform, name: Record<Lang, string>, c: RateChange, alpha: number): string {
  const verdict =
    c.verdict === 'differ'
      ? tt('変化した', 'changed')
      : c.verdict === 'same'
        ? tt('変化なし ✔', 'no change ✔')
        : resolutionText('inconclusive', c.test.detectableDifference, alpha);
  const delta =
    c.base.rate === null || c.other.rate === null
      ? ''
      : ` (${c.other.rate >= c.base.rate ? '+' : '−'}${pp(Math.abs(c.other.rate - c.base.rate))})`;
  return `<tr data-change="${platform}-${name.en}" data-verdict="${c.verdict}"><th>${esc(PLATFORM[platform].ja)} ${tt(name.ja, name.en)}</th><td>${esc(rate(c.base))}</td><td>${esc(rate(c.other))}${delta}</td><td>p = ${formatP(c.test.pValue)}: ${verdict}</td></tr>`;
}

function comparisonSection(c: PopulationComparison, alpha: number): string {
  const rows = (['android', 'ios'] as const)
    .map(
      (p) =>
        changeRow(p, { ja: '感度', en: 'sensitivity' }, c[p].sensitivity, alpha) +
        changeRow(p, { ja: '誤報率', en: 'false alarms' }, c[p].falseAlarms, alpha),
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
    main: `${report.comparison ? comparisonSection(report.comparison, report.runs[0].summary.alpha) : ''}
${report.runs.map(runSection).join('\n')}`,
  });
}
