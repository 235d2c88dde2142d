/**
 * Runs a Plan against one shared stack: independent cells in parallel (`workers`), cells that touch
 * shared HER-SYS state (faults, clock) alone; reporters hear each finished cell; the run status is
 * decided once, at the end (style.md principle 7). On abort no new cell starts.
 */
import type { Plan, PlannedCell, PlannedScenario } from '../scenario/plan.js';
import { InterruptedError } from './deadline.js';
import type { DeadlineOptions, RunnerDeps } from './deps.js';
import { executeCell } from './execute-cell.js';
import type { CellResult, RunMetadata, RunResult, RunStatus, ScenarioResult } from './results.js';
import { summarise } from './summary.js';

/** Reporter hooks (harness/report's Reporter): optional while running, onEnd at the end. */
export interface RunHooks {
  onBegin?(meta: { scenarios: number; cells: number }): void | Promise<void>;
  onCellEnd?(
    scenario: { id: string; title: PlannedScenario['title'] },
    cell: CellResult,
  ): void | Promise<void>;
}

export interface RunPlanOptions extends DeadlineOptions {
  readonly workers: number;
  readonly signal?: AbortSignal;
  readonly hooks?: RunHooks;
  /** Metadata except times, filled in here. */
  readonly metadata: Omit<RunMetadata, 'startedAt' | 'finishedAt' | 'durationMs'>;
}

/** Readers share, a writer (an exclusive cell) waits for the readers and holds everyone else off. */
class SharedExclusiveLock {
  #readers = 0;
  #writer = false;
  #waiting: (() => void)[] = [];
  async acquire(exclusive: boolean): Promise<() => void> {
    while (this.#writer || (exclusive && this.#readers > 0))
      await new Promise<void>((r) => this.#waiting.push(r));
    if (exclusive) this.#writer = true;
    else this.#readers++;
    return () => {
      if (exclusive) this.#writer = false;
      else this.#readers--;
      const w = this.#waiting.splice(0);
      for (const r of w) r();
    };
  }
}

export async function runPlan(plan: Plan, deps: RunnerDeps, options: RunPlanOptions): Promise<RunResult> {
  const startedAt = new Date();
  const queue: { scenario: PlannedScenario; cell: PlannedCell; order: number }[] = [];
  for (const scenario of plan.scenarios)
    for (const cell of scenario.cells) queue.push({ scenario, cell, order: queue.length });
  await options.hooks?.onBegin?.({ scenarios: plan.scenarios.length, cells: queue.length });
  const results = new Map<number, CellResult>();
  const lock = new SharedExclusiveLock();
  let interrupted = false;
  let next = 0;

  const worker = async () => {
    while (next < queue.length) {
      if (options.signal?.aborted) {
        interrupted = true;
        return;
      }
      const item = queue[next++] as (typeof queue)[number];
      const release = await lock.acquire(item.cell.exclusive);
      try {
        if (options.signal?.aborted) {
          interrupted = true;
          return;
        }
        const { result } = await executeCell(
          item.cell,
          { ...deps, stepTimeoutMs: options.stepTimeoutMs },
          options.signal,
        );
        results.set(item.order, result);
        await options.hooks?.onCellEnd?.({ id: item.scenario.id, title: item.scenario.title }, result);
      } catch (e) {
        if (e instanceof InterruptedError) {
          interrupted = true;
          return;
        }
        throw e;
      } finally {
        release();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.workers, queue.length)) }, worker));

  const scenarios: ScenarioResult[] = [];
  for (const scenario of plan.scenarios) {
    const cells = queue
      .filter((q) => q.scenario === scenario && results.has(q.order))
      .map((q) => results.get(q.order) as CellResult);
    if (cells.length === 0) continue;
    const sweepCells = queue.filter((q) => q.scenario === scenario && q.cell.sweep && results.has(q.order));
    scenarios.push({
      id: scenario.id,
      file: scenario.file,
      title: scenario.title,
      purpose: scenario.purpose,
      tags: scenario.tags,
      cells,
      ...(sweepCells.length > 0
        ? {
            sweep: sweepCells.map((q) => {
              const r = results.get(q.order) as CellResult;
              const sw = q.cell.sweep as { distanceM: number; durationMin: number };
              return {
                platform: r.platform,
                app: r.app,
                distanceM: sw.distanceM,
                durationMin: sw.durationMin,
                notified: r.phones[0]?.notified ?? false,
              };
            }),
          }
        : {}),
    });
  }
  const all = scenarios.flatMap((s) => s.cells);
  const status: RunStatus = interrupted
    ? 'interrupted'
    : all.some((c) => c.status === 'timedout') &&
        all.every((c) => c.status === 'passed' || c.status === 'timedout')
      ? 'timedout'
      : all.every((c) => c.status === 'passed')
        ? 'passed'
        : 'failed';
  const finishedAt = new Date();
  return {
    schemaVersion: 1,
    status,
    metadata: {
      ...options.metadata,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
    },
    summary: summarise(scenarios, { complete: !interrupted }),
    scenarios,
  };
}
