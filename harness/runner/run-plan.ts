/**
 * Runs a Plan against one shared stack: independent cells in parallel (`workers`); cells that touch
 * shared HER-SYS state (faults, clock) one at a time, holding HER-SYS alone around it (hersys-lock.ts);
 * reporters hear each finished cell; the run status is decided once, at the end (style.md
 * principle 7). On abort no new cell starts.
 */
import type { Plan, PlannedCell, PlannedScenario } from '../scenario/plan.js';
import { moveClockTo } from './clock.js';
import { InterruptedError } from './deadline.js';
import type { DeadlineOptions, RunnerDeps } from './deps.js';
import { executeCell } from './execute-cell.js';
import { HerSysTurns } from './hersys-lock.js';
import type { CellResult, NotRunCell, RunMetadata, RunResult, RunStatus, ScenarioResult } from './results.js';
import { summarise } from './summary.js';
import { applyRateVerdicts, judgeFamily, type TrialTest, testTrials } from './trials.js';

/** Reporter hooks (harness/report's Reporter): optional while running, onEnd at the end. */
export interface RunHooks {
  onBegin?(meta: { scenarios: number; cells: number }): void | Promise<void>;
  onCellEnd?(
    scenario: { id: string; title: PlannedScenario['title']; firstCell?: string },
    cell: CellResult,
  ): void | Promise<void>;
}

export interface RunPlanOptions extends DeadlineOptions {
  readonly workers: number;
  readonly signal?: AbortSignal;
  readonly hooks?: RunHooks;
  /** Metadata except times, filled in here. */
  readonly metadata: Omit<RunMetadata, 'startedAt' | 'finishedAt' | 'durationMs'>;
  /**
   * Results of cells no seed can move, by cell id, from an earlier run of the same plan under another
   * seed (seed-sweep.ts): they are taken as they are, not run again.
   */
  readonly reuse?: ReadonlyMap<string, CellResult>;
}

/**
 * Cells that mostly wait (a browser page, injected latency) run in a lane of their own beside the
 * workers, `workers` at a time, so their waiting overlaps the busy cells instead of holding worker
 * places the busy cells could use. Results keep the plan's order regardless.
 */
function waits(cell: PlannedCell): boolean {
  return cell.steps.some(
    (s) =>
      (s.kind === 'diagnose' && s.via === 'web-screen') ||
      (s.kind === 'server-fault' && s.fault === 'latency'),
  );
}

export async function runPlan(plan: Plan, deps: RunnerDeps, options: RunPlanOptions): Promise<RunResult> {
  const startedAt = new Date();
  const queue: { scenario: PlannedScenario; cell: PlannedCell; order: number }[] = [];
  for (const scenario of plan.scenarios)
    for (const cell of scenario.cells) queue.push({ scenario, cell, order: queue.length });
  await options.hooks?.onBegin?.({ scenarios: plan.scenarios.length, cells: queue.length });
  const results = new Map<PlannedCell, CellResult>();
  const started = new Set<PlannedCell>();
  let interrupted = false;

  // Cells handed over from an earlier run are taken as they are; the rest run.
  const toRun = queue.filter((q) => {
    const earlier = options.reuse?.get(q.cell.id);
    if (earlier) results.set(q.cell, earlier);
    return !earlier;
  });
  const hersys = new HerSysTurns();
  /** Runs `items` with `workers` cells in flight at a time. */
  const runAll = async (items: typeof queue, workers: number) => {
    let next = 0;
    const worker = async () => {
      while (next < items.length && !interrupted) {
        if (options.signal?.aborted) {
          interrupted = true;
          return;
        }
        const item = items[next++] as (typeof queue)[number];
        started.add(item.cell);
        try {
          const { result } = await executeCell(
            item.cell,
            {
              ...deps,
              stepTimeoutMs: options.stepTimeoutMs,
              ...(options.publishTimeoutMs ? { publishTimeoutMs: options.publishTimeoutMs } : {}),
            },
            options.signal,
            hersys,
          );
          // A cell that ends badly after the interrupt may have met the stack going down: no evidence.
          if (options.signal?.aborted && result.status !== 'passed') {
            interrupted = true;
            return;
          }
          results.set(item.cell, result);
          await options.hooks?.onCellEnd?.(
            { id: item.scenario.id, title: item.scenario.title, firstCell: item.scenario.cells[0]?.id },
            result,
          );
        } catch (e) {
          if (e instanceof InterruptedError) {
            interrupted = true;
            return;
          }
          throw e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, items.length)) }, worker));
  };
  // The whole stack's clock moves forward to the scenarios' now before the first cell (runner/clock.ts).
  if (!options.signal?.aborted) await moveClockTo(deps, plan.nowEpochSeconds);
  const onTime = toRun.filter((q) => !q.cell.afterNow);
  // Cells that fault HER-SYS for every call or move its clock run one at a time beside the others: each holds
  // HER-SYS alone for the steps around its fault, so the others' HER-SYS steps wait for those, while
  // their other steps go on.
  await Promise.all([
    runAll(
      onTime.filter((q) => q.cell.exclusive),
      1,
    ),
    runAll(
      onTime.filter((q) => !q.cell.exclusive && waits(q.cell)),
      options.workers,
    ),
    runAll(
      onTime.filter((q) => !q.cell.exclusive && !waits(q.cell)),
      options.workers,
    ),
  ]);
  // Cells with steps after now move the run's clock for everyone: they run last, one at a time.
  await runAll(
    toRun.filter((q) => q.cell.afterNow),
    1,
  );
  return planResult(
    plan,
    { results, started, interrupted: interrupted || Boolean(options.signal?.aborted) },
    {
      startedAt,
      metadata: options.metadata,
    },
  );
}

/**
 * The RunResult of a run interrupted before any cell started (while loading or starting the stack):
 * every planned cell is listed as not run.
 */
export function interruptedBeforeStart(
  plan: Plan,
  timing: { readonly startedAt: Date; readonly metadata: RunPlanOptions['metadata'] },
): RunResult {
  return planResult(plan, { results: new Map(), started: new Set(), interrupted: true }, timing);
}

/** Assembles the RunResult from the cells' results, in the plan's order; the status is decided here. */
function planResult(
  plan: Plan,
  run: {
    readonly results: ReadonlyMap<PlannedCell, CellResult>;
    readonly started: ReadonlySet<PlannedCell>;
    readonly interrupted: boolean;
  },
  timing: { readonly startedAt: Date; readonly metadata: RunPlanOptions['metadata'] },
): RunResult {
  const { results, started, interrupted } = run;
  const built: { result: ScenarioResult; tests?: TrialTest[] }[] = [];
  const notRun: NotRunCell[] = [];
  for (const scenario of plan.scenarios) {
    for (const cell of scenario.cells)
      if (!results.has(cell))
        notRun.push({
          scenario: scenario.id,
          file: scenario.file,
          id: cell.id,
          platform: cell.platform,
          app: cell.app,
          reason: started.has(cell) ? 'cut-short' : 'not-started',
        });
    const ran = scenario.cells.filter((c) => results.has(c));
    if (ran.length === 0) continue;
    const cells = ran.map((c) => results.get(c) as CellResult);
    const sweepCells = ran.filter((c) => c.sweep);
    const tests = scenario.statistics && !interrupted ? testTrials(scenario.statistics, cells) : undefined;
    const result: ScenarioResult = {
      id: scenario.id,
      file: scenario.file,
      title: scenario.title,
      purpose: scenario.purpose,
      tags: scenario.tags,
      cells,
      ...(sweepCells.length > 0
        ? {
            sweep: sweepCells.map((c) => {
              const r = results.get(c) as CellResult;
              const sw = c.sweep as { distanceM: number; durationMin: number };
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
    };
    built.push(tests ? { result, tests } : { result });
  }
  // Every statistical test of the run is judged together (Holm): see trials.ts.
  const family = judgeFamily(built.filter((r) => r.tests).map((r) => r.tests as TrialTest[]));
  let judgedIndex = 0;
  const scenarios: ScenarioResult[] = built.map((r) =>
    r.tests ? { ...r.result, rates: family.rates[judgedIndex++] ?? [] } : r.result,
  );
  const all = scenarios.flatMap((s) => s.cells);
  const allRates = scenarios.flatMap((s) => s.rates ?? []);
  const status: RunStatus = interrupted
    ? 'interrupted'
    : all.some((c) => c.status === 'timedout') &&
        all.every((c) => c.status === 'passed' || c.status === 'timedout')
      ? 'timedout'
      : all.every((c) => c.status === 'passed') && allRates.every((r) => r.passed)
        ? 'passed'
        : 'failed';
  const finishedAt = new Date();
  return {
    schemaVersion: 1,
    status,
    metadata: {
      ...timing.metadata,
      startedAt: timing.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - timing.startedAt.getTime(),
    },
    // The verdict stands when every cell ran, even if the signal came during the last one.
    summary: applyRateVerdicts(summarise(scenarios, { complete: notRun.length === 0, notRun }), allRates),
    scenarios,
    ...(family.errorRates ? { errorRates: family.errorRates } : {}),
    ...(interrupted ? { notRun } : {}),
  };
}
