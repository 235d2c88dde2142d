/**
 * The timeline of one platform: one row per series (scenario · app), one mark per observation,
 * green passed, red failed — drawn by echarts' server-side SVG renderer, as the run report's charts
 * (harness/report/html/charts.ts): no script, no network.
 */
import * as echarts from 'echarts';
import type { Lang } from '../catalog.js';
import type { SeriesHistory } from '../history/store.js';

const FONT = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif';
const COLORS = { pass: '#1a7f37', fail: '#cf222e', ink: '#1f2328', grid: '#d0d7de' };

const JST_OFFSET_MS = 9 * 3_600_000;

export const seriesLabel = (s: SeriesHistory) => `${s.key.scenario} · ${s.key.app}`;

export function platformTimeline(series: readonly SeriesHistory[], lang: Lang): string {
  const rows = series.map(seriesLabel);
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: 900,
    height: 80 + rows.length * 34,
  });
  try {
    chart.setOption({
      animation: false,
      // Times are shown in Japan time whatever the machine's zone: shift by +9 h, format as UTC.
      useUTC: true,
      textStyle: { fontFamily: FONT, color: COLORS.ink },
      grid: { left: 260, right: 30, top: 16, bottom: 44 },
      xAxis: {
        type: 'time',
        name: lang === 'ja' ? '観測時刻（日本時間）' : 'observed at (JST)',
        nameLocation: 'middle',
        nameGap: 28,
        splitLine: { show: true, lineStyle: { color: COLORS.grid } },
      },
      yAxis: { type: 'category', data: rows, inverse: true, axisTick: { show: false } },
      series: [
        {
          type: 'scatter',
          symbol: 'rect',
          symbolSize: [10, 18],
          data: series.flatMap((s) =>
            s.points.map((p) => ({
              value: [Date.parse(p.observedAt) + JST_OFFSET_MS, seriesLabel(s)],
              itemStyle: { color: p.passed ? COLORS.pass : COLORS.fail },
            })),
          ),
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
