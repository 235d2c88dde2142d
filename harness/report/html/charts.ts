/**
 * Charts for the HTML report, drawn by echarts' server-side renderer into SVG strings that are
 * inlined in the page (no script, no network; the same picture on screen, in print and in the PDF).
 */
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';
import type { RateResult, SweepPoint, TimelineEvent } from '../../runner/results.js';

export type Lang = 'ja' | 'en';

const FONT = '"ichiren Sans JP", "ichiren Symbols", "Noto Sans CJK JP", sans-serif'; // embedded: fonts.ts
const COLORS = {
  pass: '#1a7f37',
  fail: '#cf222e',
  muted: '#6e7781',
  policy: '#0969da',
  ink: '#1f2328',
  band: '#8c959f',
  bound: '#0969da',
};

/** The policy line the sweep is judged against: 1 m, 15 minutes (cocoa.md §4.1 "Effective COCOA rule"). */
export const POLICY = { distanceM: 1, durationMin: 15 } as const;

let loaded: typeof Echarts | undefined;

/**
 * echarts, loaded when the first chart is drawn, as its CommonJS build: one file, where its ES
 * modules are about 600 files (0.3 s against 0.6 s to load). The run's charts are drawn on the
 * report's worker thread (report-charts.ts), so the main thread usually never loads it.
 */
function echarts(): typeof Echarts {
  loaded ??= createRequire(import.meta.url)('echarts') as typeof Echarts;
  return loaded;
}

/** Draws one chart to an SVG string. */
export function render(width: number, height: number, option: Echarts.EChartsCoreOption): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT, color: COLORS.ink }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const KINDS: readonly TimelineEvent['kind'][] = [
  'encounter',
  'diagnosis',
  'upload',
  'publish',
  'check',
  'fault',
];
export const KIND_LABELS: Record<TimelineEvent['kind'], Record<Lang, string>> = {
  encounter: { ja: '接触', en: 'encounter' },
  diagnosis: { ja: '診断', en: 'diagnosis' },
  upload: { ja: '登録', en: 'upload' },
  publish: { ja: '公開', en: 'publish' },
  check: { ja: '確認', en: 'check' },
  fault: { ja: '障害', en: 'fault' },
};

/** "day -5 10:00" → -5 + 10/24; null when the label has another shape. */
export function dayOffset(label: string): number | null {
  const m = /^day\s+(-?\d+)(?:\s+(\d{1,2}):(\d{2}))?$/.exec(label.trim());
  if (!m) return null;
  return Number(m[1]) + (Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) / 1440;
}

/**
 * What a timeline chart shows of its events: each event's kind, its x (days relative to day 0 when
 * every label says its day, else days since the first event) and the text beside it. Scenarios whose
 * events differ only in their real times draw the same chart.
 */
function timelinePoints(events: readonly TimelineEvent[]) {
  const relative = events.every((e) => dayOffset(e.label) !== null);
  const t0 = events.length ? Math.min(...events.map((e) => Date.parse(e.at))) : 0;
  const points = events.map((e) => ({
    kind: e.kind,
    x: relative ? (dayOffset(e.label) as number) : (Date.parse(e.at) - t0) / 86_400_000,
    text: e.label.replace(/^day\s+-?\d+\s*/, ''),
  }));
  return { relative, points };
}

/** The scenario's timeline: one row per kind of event, days relative to day 0 on the x axis. */
export function timelineChart(events: readonly TimelineEvent[], lang: Lang): string {
  const { relative, points } = timelinePoints(events);
  const kinds = KINDS.filter((k) => points.some((p) => p.kind === k));
  const xs = points.map((p) => p.x);
  const min = Math.floor(Math.min(0, ...xs));
  const max = Math.ceil(Math.max(0, ...xs) + 0.25);
  const dayWord = lang === 'ja' ? '日' : 'day';
  return render(760, 60 + kinds.length * 38, {
    grid: { left: 90, right: 30, top: 20, bottom: 40 },
    xAxis: {
      type: 'value',
      min,
      max,
      interval: 1,
      name: relative
        ? lang === 'ja'
          ? '日（0 = 登録日）'
          : 'day (0 = upload day)'
        : lang === 'ja'
          ? '経過日数'
          : 'days',
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { formatter: (v: number) => (lang === 'ja' ? `${v}${dayWord}` : `${dayWord} ${v}`) },
      splitLine: { lineStyle: { color: '#d0d7de' } },
    },
    yAxis: {
      type: 'category',
      data: kinds.map((k) => KIND_LABELS[k][lang]),
      inverse: true,
      axisTick: { show: false },
    },
    series: [
      {
        type: 'scatter',
        symbolSize: 14,
        data: points.map((p) => ({
          value: [p.x, KIND_LABELS[p.kind][lang]],
          itemStyle: {
            color: p.kind === 'fault' ? COLORS.fail : p.kind === 'encounter' ? COLORS.policy : COLORS.ink,
          },
        })),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { dataIndex: number }) => points[p.dataIndex]?.text ?? '',
          fontSize: 11,
          color: COLORS.muted,
        },
      },
    ],
  });
}

/**
 * Notified / not notified against distance and duration for one platform, with the policy region
 * (≤ 1 m, ≥ 15 min) shaded, so a platform whose region is empty stands out at a glance.
 */
export function sweepChart(points: readonly SweepPoint[], title: string, lang: Lang): string {
  const notified = points.filter((p) => p.notified).map((p) => [p.durationMin, p.distanceM]);
  const missed = points.filter((p) => !p.notified).map((p) => [p.durationMin, p.distanceM]);
  const maxDur = Math.max(POLICY.durationMin * 2, ...points.map((p) => p.durationMin)) + 5;
  const maxDist = Math.max(POLICY.distanceM * 2, ...points.map((p) => p.distanceM)) + 0.5;
  const L =
    lang === 'ja'
      ? { yes: '通知あり', no: '通知なし', x: '接触時間（分）', y: '距離（m）', policy: '基準 1 m・15分' }
      : {
          yes: 'notified',
          no: 'not notified',
          x: 'duration (min)',
          y: 'distance (m)',
          policy: 'policy 1 m, 15 min',
        };
  return render(380, 300, {
    title: { text: title, left: 'center', textStyle: { fontSize: 14, fontFamily: FONT } },
    legend: { bottom: 0, data: [L.yes, L.no], textStyle: { fontFamily: FONT } },
    grid: { left: 56, right: 20, top: 40, bottom: 70 },
    xAxis: { type: 'value', min: 0, max: maxDur, name: L.x, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', min: 0, max: maxDist, name: L.y, nameLocation: 'middle', nameGap: 34 },
    series: [
      {
        name: L.yes,
        type: 'scatter',
        symbol: 'circle',
        symbolSize: 14,
        itemStyle: { color: COLORS.pass },
        data: notified,
        markArea: {
          silent: true,
          itemStyle: {
            color: 'rgba(9,105,218,0.08)',
            borderColor: COLORS.policy,
            borderType: 'dashed',
            borderWidth: 1,
          },
          label: {
            show: true,
            position: 'insideTopRight',
            color: COLORS.policy,
            fontSize: 11,
            formatter: L.policy,
          },
          data: [
            [
              { xAxis: POLICY.durationMin, yAxis: 0 },
              { xAxis: maxDur, yAxis: POLICY.distanceM },
            ],
          ],
        },
      },
      {
        name: L.no,
        type: 'scatter',
        symbol: 'path://M2,2 L10,10 M10,2 L2,10',
        symbolSize: 12,
        itemStyle: { color: COLORS.fail, borderColor: COLORS.fail, borderWidth: 2.5 },
        data: missed,
      },
    ],
  });
}

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
  return render(520, 40 + rows.length * 28, {
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
}

/** What a chart of the report is drawn from: all of it, so equal requests draw equal charts. */
export type ChartRequest =
  | { readonly kind: 'timeline'; readonly events: readonly TimelineEvent[]; readonly lang: Lang }
  | {
      readonly kind: 'sweep';
      readonly points: readonly SweepPoint[];
      readonly title: string;
      readonly lang: Lang;
    }
  | { readonly kind: 'rates'; readonly rates: readonly RateResult[]; readonly lang: Lang };

/** Equal keys draw equal charts: a timeline's is what it shows, not its events' real times. */
export function chartKey(request: ChartRequest): string {
  return request.kind === 'timeline'
    ? JSON.stringify(['timeline', request.lang, timelinePoints(request.events)])
    : JSON.stringify(request);
}

/** Draws a chart where the page is rendered (renderHtml's default). */
export type DrawChart = (request: ChartRequest) => string;

export const drawChart: DrawChart = (r) => {
  switch (r.kind) {
    case 'timeline':
      return timelineChart(r.events, r.lang);
    case 'sweep':
      return sweepChart(r.points, r.title, r.lang);
    case 'rates':
      return ratesChart(r.rates, r.lang);
  }
};
