/** The runner: executes Plans against a stack and a World, records Traces, judges the chain. */
export { InterruptedError, StepTimeoutError, withDeadline } from './deadline.js';
export type {
  DeadlineOptions,
  HerSysControl,
  IssuedProcessingNumber,
  PhoneHandle,
  RunnerDeps,
  WorldHandle,
} from './deps.js';
export { judgeLinks, type Observation, observeChain, phoneChain } from './evaluate.js';
export { type CellRun, executeCell } from './execute-cell.js';
export * from './results.js';
export { type RunHooks, type RunPlanOptions, runPlan } from './run-plan.js';
export { summarise } from './summary.js';
export type { Trace, TraceEvent } from './trace.js';
