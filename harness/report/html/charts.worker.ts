/** Draws timeline charts on a thread of its own while the run goes on (timeline-charts.ts). */
import { parentPort } from 'node:worker_threads';
import type { TimelineEvent } from '../../runner/results.js';
import { type Lang, timelineChart } from './charts.js';

/**
 * echarts names each chart's hover styles `zr<N>-cls-<M>`, N counting the charts of this thread; the
 * page's other charts count on the main thread. `zrw` keeps the two apart in one document.
 */
const ownClassNames = (svg: string) => svg.replace(/\bzr(\d+)-cls-/g, 'zrw$1-cls-');

parentPort?.on('message', (m: { id: number; events: TimelineEvent[]; lang: Lang }) => {
  try {
    parentPort?.postMessage({ id: m.id, svg: ownClassNames(timelineChart(m.events, m.lang)) });
  } catch (error) {
    parentPort?.postMessage({ id: m.id, error: String(error) });
  }
});
