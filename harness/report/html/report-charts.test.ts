import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../runner/results.js';
import { samplePassingRun, sampleSweepRun } from '../fixtures/index.js';
import { type ChartRequest, drawChart } from './charts.js';
import { renderHtml } from './render.js';
import { ReportCharts } from './report-charts.js';

/** echarts numbers class names (zr<N>-cls-<M>, zrw<N>-… on the worker) by counters of its thread. */
const sameCharts = (svg: string | undefined) => svg?.replace(/\bzrw?\d+-cls-\d+/g, 'zr-cls');

const events: TimelineEvent[] = [
  {
    kind: 'encounter',
    at: '2026-11-29T03:00:00Z',
    label: 'day -3 12:00',
    phones: ['a', 'b'],
    detail: '20 min',
  },
  { kind: 'upload', at: '2026-12-01T01:00:00Z', label: 'day 0 10:00', phones: ['a'], detail: '' },
];

describe('ReportCharts', () => {
  it('draws on its worker thread the SVG drawChart draws, once per distinct chart', async () => {
    const charts = new ReportCharts();
    const requests: ChartRequest[] = [
      { kind: 'timeline', events, lang: 'ja' },
      { kind: 'sweep', points: sampleSweepRun.scenarios[0]?.sweep ?? [], title: 'Android', lang: 'en' },
    ];
    const first = charts.request(requests[0] as ChartRequest);
    expect(charts.request({ kind: 'timeline', events, lang: 'ja' })).toBe(first); // the same chart
    // Another scenario's events at other real times, on the same scenario days: the same picture.
    const later = events.map((e) => ({ ...e, at: new Date(Date.parse(e.at) + 86_400_000).toISOString() }));
    expect(charts.request({ kind: 'timeline', events: later, lang: 'ja' })).toBe(first);
    expect(sameCharts(drawChart({ kind: 'timeline', events: later, lang: 'ja' }))).toBe(
      sameCharts(drawChart(requests[0] as ChartRequest)),
    );
    // What the chart shows differs: another chart.
    const relabelled = events.map((e) => ({ ...e, label: e.label.replace('12:00', '13:00') }));
    expect(charts.request({ kind: 'timeline', events: relabelled, lang: 'ja' })).not.toBe(first);
    expect(charts.request({ kind: 'timeline', events, lang: 'en' })).not.toBe(first);
    const drawn = await Promise.all(requests.map((r) => charts.request(r)));
    await charts.renderWith(() => ''); // stops the worker
    drawn.forEach((svg, i) => {
      expect(sameCharts(svg)).toBe(sameCharts(drawChart(requests[i] as ChartRequest)));
      // Its class names never meet those of charts drawn on the main thread in one page.
      expect(svg).toMatch(/class="zrw\d+-cls-\d+"/);
      expect(svg).not.toMatch(/\bzr\d+-cls-/);
    });
  });

  it('renders the page renderHtml renders, its charts drawn by the worker', async () => {
    for (const run of [samplePassingRun, sampleSweepRun]) {
      const page = await new ReportCharts().renderWith((draw) => renderHtml(run, draw));
      expect(page).not.toContain('<!--chart ');
      expect(page).toMatch(/zrw\d+-cls-/);
      expect(sameCharts(page)).toBe(sameCharts(renderHtml(run)));
    }
  });

  it('draws in place what its worker cannot draw (here: a worker that fails at once)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ichiren-charts-'));
    const broken = path.join(dir, 'broken.worker.ts');
    writeFileSync(broken, "throw new Error('no charts here');\n");
    const charts = new ReportCharts(pathToFileURL(broken));
    const page = await charts.renderWith((draw) => renderHtml(samplePassingRun, draw));
    expect(page).not.toContain('<!--chart ');
    expect(page).not.toMatch(/zrw\d+-cls-/);
    expect(sameCharts(page)).toBe(sameCharts(renderHtml(samplePassingRun)));
    rmSync(dir, { recursive: true, force: true });
  });
});
