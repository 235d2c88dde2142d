/**
 * The HTML report's charts, drawn on a worker thread. echarts takes about 5 ms of CPU per chart and
 * a run's report has about 150 (a timeline per scenario, sweep maps, rates; each in ja and en): on the
 * main thread they were a second and a half of the run's last phase, where nothing overlaps them.
 * The worker starts with the run and draws each scenario's timeline as its first cell ends, on the
 * second core; at the end it draws what is left. A chart it cannot draw is drawn in place (the same
 * SVG: drawChart).
 */
import { randomBytes } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../environment/workers.js';
import { type ChartRequest, chartKey, type DrawChart, drawChart } from './charts.js';

export class ReportCharts {
  #worker: Worker | undefined;
  #failed = false;
  #next = 0;
  readonly #waiting = new Map<number, (svg: string | undefined) => void>();
  /** Charts asked for, by what they show (chartKey). */
  readonly #charts = new Map<string, Promise<string | undefined>>();

  /** `worker`: the charts.worker.ts to run (a test gives one that fails). */
  constructor(private readonly worker = new URL('./charts.worker.ts', import.meta.url)) {}

  /** Starts the worker (it loads echarts meanwhile). */
  start(): void {
    if (this.#worker || this.#failed) return;
    try {
      const worker = startWorker(this.worker, undefined);
      worker.unref(); // never what keeps the process alive
      worker.on('message', (m: { id: number; svg?: string }) => {
        this.#waiting.get(m.id)?.(m.svg);
        this.#waiting.delete(m.id);
      });
      // A worker that dies leaves its charts to be drawn in place.
      const fail = () => {
        this.#failed = true;
        for (const resolve of this.#waiting.values()) resolve(undefined);
        this.#waiting.clear();
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      this.#worker = worker;
    } catch {
      this.#failed = true;
    }
  }

  /** Starts drawing a chart now (once per distinct chart). */
  request(request: ChartRequest): Promise<string | undefined> {
    const key = chartKey(request);
    let chart = this.#charts.get(key);
    if (!chart) {
      this.start();
      const worker = this.#worker;
      const id = this.#next++;
      chart = worker
        ? new Promise((resolve) => {
            this.#waiting.set(id, resolve);
            worker.postMessage({ id, request });
          })
        : Promise.resolve(undefined);
      this.#charts.set(key, chart);
    }
    return chart;
  }

  /**
   * Renders a page whose charts the worker draws: `render` gets a DrawChart that leaves a mark per
   * chart, and each mark is replaced by its chart once drawn. Stops the worker.
   */
  async renderWith(render: (draw: DrawChart) => string): Promise<string> {
    const nonce = randomBytes(6).toString('hex');
    const requests: ChartRequest[] = [];
    const page = render((request) => `<!--chart ${nonce} ${requests.push(request) - 1}-->`);
    const svgs = await Promise.all(requests.map((r) => this.request(r)));
    await this.#worker?.terminate();
    this.#worker = undefined;
    return page.replace(
      new RegExp(`<!--chart ${nonce} (\\d+)-->`, 'g'),
      (_, i: string) => svgs[Number(i)] ?? drawChart(requests[Number(i)] as ChartRequest),
    );
  }
}
