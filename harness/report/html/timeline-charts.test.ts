import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../runner/results.js';
import { samplePassingRun } from '../fixtures/index.js';
import { timelineChart } from './charts.js';
import { renderHtml } from './render.js';
import { TimelineCharts, timelineKey } from './timeline-charts.js';

/** echarts numbers class names (zr<N>-cls-<M>, zrw<N>-… on the worker) by counters of its thread. */
const sameChart = (svg: string | undefined) => svg?.replace(/\bzrw?\d+-cls-\d+/g, 'zr-cls');

const events: TimelineEvent[] = [
  {
    kind: 'encounter',
    at: '2026-11-29T03:00:00Z',
    label: 'day -3 12:00',
    phones: ['a', 'b'],
    detail: '20 min',
  },
  { kind: 'diagnosis', at: '2026-11-31T01:00:00Z', label: 'day -1 10:00', phones: ['a'], detail: '' },
  { kind: 'upload', at: '2026-12-01T01:00:00Z', label: 'day 0 10:00', phones: ['a'], detail: '' },
];

describe('TimelineCharts', () => {
  it('draws on a worker thread exactly the SVG renderHtml would draw, once per chart', async () => {
    const charts = new TimelineCharts();
    charts.request(events, 'ja');
    charts.request(events, 'en');
    charts.request(events, 'ja'); // the same chart again: drawn once
    const drawn = await charts.drawn();
    expect([...drawn.keys()]).toEqual([timelineKey(events, 'ja'), timelineKey(events, 'en')]);
    expect(sameChart(drawn.get(timelineKey(events, 'ja')))).toBe(sameChart(timelineChart(events, 'ja')));
    expect(sameChart(drawn.get(timelineKey(events, 'en')))).toBe(sameChart(timelineChart(events, 'en')));
    // Its class names never meet those of the charts drawn on the main thread in one page.
    expect(drawn.get(timelineKey(events, 'ja'))).toMatch(/class="zrw\d+-cls-\d+"/);
    expect(drawn.get(timelineKey(events, 'ja'))).not.toMatch(/\bzr\d+-cls-/);
  });

  it('gives nothing when nothing was asked (the page then draws its charts itself)', async () => {
    expect((await new TimelineCharts().drawn()).size).toBe(0);
  });
});

describe('renderHtml with charts drawn ahead', () => {
  it('puts a drawn chart where it would have drawn one, and the page is otherwise the same', () => {
    const first = samplePassingRun.scenarios[0]?.cells[0];
    if (!first) throw new Error('the sample run has a cell');
    const marker = '<svg data-drawn-ahead="ja"></svg>';
    const ahead = renderHtml(samplePassingRun, new Map([[timelineKey(first.timeline, 'ja'), marker]]));
    expect(ahead).toContain(marker);
    expect(sameChart(ahead.replaceAll(marker, timelineChart(first.timeline, 'ja')))).toBe(
      sameChart(renderHtml(samplePassingRun)),
    );
  });
});
