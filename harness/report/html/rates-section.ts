/**
 * The HTML block of a scenario judged over trials: per receiving platform, the notification rate
 * with its confidence interval (a small echarts chart, rendered to SVG on the server like the other
 * charts) and the judgement lines with α, the interval method and the differential's p-value.
 */
import * as echarts from 'echarts';
import type { RateResult, ScenarioResult, Text } from '../../runner/results.js';

type Lang = 'ja' | 'en';
const COLORS = { pass: '#1a7f37', fail: '#cf222e', band: '#8c959f', bound: '#0969da' };
const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Rate points with interval bands, one row per judged group; bound lines for rate expectations. */
export function ratesChart(rates: readonly RateResult[], lang: Lang): string {
  const rows = rates.flatMap((r) =>
    r.groups.map((g) => ({
      label: `${r.kind === 'differential' ? (lang === 'ja' ? '差 ' : 'diff ') : ''}${g.phones.join('+')} (${g.platform})`,
      g,
      passed: r.passed,
    })),
  );
  const bounds = rates.flatMap((r) => {
    const m = /(>=|>|<=|<)\s*([\d.]+)$/.exec(r.expectation);
    return m ? [Number(m[2]) * 100] : [];
  });
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: 520,
    height: 40 + rows.length * 28,
  });
  try {
    chart.setOption({
      animation: false,
      grid: { left: 150, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: rows.map((r) => r.label), inverse: true },
      series: [
        {
          type: 'bar',
          stack: 'ci',
          data: rows.map((r) => r.g.low * 100),
          itemStyle: { color: 'transparent' },
        },
        {
          type: 'bar',
          stack: 'ci',
          barWidth: 10,
          data: rows.map((r) => (r.g.high - r.g.low) * 100),
          itemStyle: { color: COLORS.band, opacity: 0.5 },
          markLine:
            bounds.length > 0
              ? {
                  symbol: 'none',
                  lineStyle: { color: COLORS.bound, type: 'dashed' },
                  label: { formatter: '{c}%' },
                  data: [...new Set(bounds)].map((x) => ({ xAxis: x })),
                }
              : undefined,
        },
        {
          type: 'scatter',
          symbolSize: 10,
          data: rows.map((r, i) => ({
            value: [r.g.rate * 100, i],
            itemStyle: { color: r.passed ? COLORS.pass : COLORS.fail },
          })),
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const both = (text: Text) => `<span lang="ja">${esc(text.ja)}</span><span lang="en">${esc(text.en)}</span>`;

/** The scenario's rates block, or '' when it ran no trials. */
export function ratesBlock(s: ScenarioResult): string {
  const rates = s.rates ?? [];
  if (rates.length === 0) return '';
  const caption: Text = {
    ja: `試行ごとの通知率と ${Math.round((1 - (rates[0]?.alpha ?? 0.05)) * 100)}% 信頼区間（${rates[0]?.interval}）`,
    en: `Notification rate over trials with ${Math.round((1 - (rates[0]?.alpha ?? 0.05)) * 100)}% intervals (${rates[0]?.interval})`,
  };
  const charts = (['ja', 'en'] as const)
    .map(
      (lang) =>
        `<figure class="chart" lang="${lang}" role="group" aria-label="${esc(caption[lang])}">${ratesChart(rates, lang)}<figcaption>${esc(caption[lang])}</figcaption></figure>`,
    )
    .join('');
  const lines = rates
    .map(
      (r) =>
        `<li class="${r.passed ? 'pass' : 'fail'}" data-rate-kind="${r.kind}" data-passed="${r.passed}">${r.passed ? '✔' : '✘'} ${both(r.text)}</li>`,
    )
    .join('');
  return `<div class="rates" data-rates="${rates.length}">${charts}<ul class="rate-lines">${lines}</ul></div>`;
}
