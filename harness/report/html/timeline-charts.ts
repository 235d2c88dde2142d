/**
 * The report's timeline charts, drawn while the run goes on. echarts takes about 5 ms of CPU per
 * chart, two per scenario (ja, en): drawn at the end they were a second of the run's last phase, where
 * nothing else can overlap them. Drawn on a worker thread as each scenario's first cell ends, they use
 * the second core. A chart the worker could not draw is drawn in place by renderHtml (the same SVG).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../environment/workers.js';
import type { TimelineEvent } from '../../runner/results.js';
import type { Lang } from './charts.js';

/** What a timeline chart depends on: its events and its language. */
export const timelineKey = (events: readonly TimelineEvent[], lang: Lang): string =>
  `${lang}\n${JSON.stringify(events)}`;

export class TimelineCharts {
  #worker: Worker | undefined;
  #failed = false;
  #next = 0;
  readonly #waiting = new Map<number, (svg: string | undefined) => void>();
  readonly #charts = new Map<string, Promise<string | undefined>>();

  /** Starts drawing the chart of `events` in `lang` (once per distinct chart). */
  request(events: readonly TimelineEvent[], lang: Lang): void {
    const key = timelineKey(events, lang);
    if (this.#charts.has(key)) return;
    const worker = this.#start();
    if (!worker) return;
    const id = this.#next++;
    this.#charts.set(key, new Promise((resolve) => this.#waiting.set(id, resolve)));
    worker.postMessage({ id, events, lang });
  }

  /** Every chart drawn so far, by timelineKey; stops the worker. Charts that failed are left out. */
  async drawn(): Promise<ReadonlyMap<string, string>> {
    const entries = await Promise.all([...this.#charts].map(async ([k, svg]) => [k, await svg] as const));
    await this.#worker?.terminate();
    this.#worker = undefined;
    return new Map(entries.filter((e): e is readonly [string, string] => e[1] !== undefined));
  }

  #start(): Worker | undefined {
    if (this.#worker || this.#failed) return this.#worker;
    try {
      const worker = startWorker(new URL('./charts.worker.ts', import.meta.url), undefined);
      worker.unref(); // never what keeps the process alive
      worker.on('message', (m: { id: number; svg?: string }) => {
        this.#waiting.get(m.id)?.(m.svg);
        this.#waiting.delete(m.id);
      });
      // A worker that dies leaves its charts to renderHtml.
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
    return this.#worker;
  }
}
