/** Draws the report's charts on a thread of its own (report-charts.ts). */
import { parentPort } from 'node:worker_threads';
import { yieldToMainThread } from '../../environment/workers.js';
import { type ChartRequest, drawChart } from './charts.js';

// The charts are needed when the report is written: until then the run's cells go first.
yieldToMainThread();

/**
 * echarts names each chart's hover styles `zr<N>-cls-<M>`, counting on its own thread; charts drawn
 * on the main thread count there. `zrw` keeps the two apart in one document.
 */
const ownClassNames = (svg: string) => svg.replace(/\bzr(\d+)-cls-/g, 'zrw$1-cls-');

parentPort?.on('message', (m: { id: number; request: ChartRequest }) => {
  try {
    parentPort?.postMessage({ id: m.id, svg: ownClassNames(drawChart(m.request)) });
  } catch (error) {
    parentPort?.postMessage({ id: m.id, error: String(error) });
  }
});
