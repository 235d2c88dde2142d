/**
 * The HTML block of a scenario judged over trials: per receiving platform, the notification rate
 * with its confidence interval (a small echarts chart, rendered to SVG on the server like the other
 * charts) and the judgement lines with α, the interval method and the differential's p-value.
 */
import type { ScenarioResult, Text } from '../../runner/results.js';
import { type DrawChart, drawChart } from './charts.js';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const both = (text: Text) => `<span lang="ja">${esc(text.ja)}</span><span lang="en">${esc(text.en)}</span>`;

/** The scenario's rates block, or '' when it ran no trials. */
export function ratesBlock(s: ScenarioResult, draw: DrawChart = drawChart): string {
  const rates = s.rates ?? [];
  if (rates.length === 0) return '';
  const caption: Text = {
    ja: `試行ごとの通知率と ${Math.round((1 - (rates[0]?.alpha ?? 0.05)) * 100)}% 信頼区間（${rates[0]?.interval}）`,
    en: `Notification rate over trials with ${Math.round((1 - (rates[0]?.alpha ?? 0.05)) * 100)}% intervals (${rates[0]?.interval})`,
  };
  const charts = (['ja', 'en'] as const)
    .map(
      (lang) =>
        `<figure class="chart" lang="${lang}" role="group" aria-label="${esc(caption[lang])}">${draw({ kind: 'rates', rates, lang })}<figcaption>${esc(caption[lang])}</figcaption></figure>`,
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
