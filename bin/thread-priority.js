// Scheduling of the CLI process's own threads (plain JavaScript: it runs before any TypeScript
// loader). On a machine of two cores the main thread, where every cell runs, spent about a fifth of
// a run waiting for a core that Node's helper threads held: V8's garbage collection and optimizing
// compiler, four of them by default whatever the cores. Lowered, they take the CPU the main thread
// leaves; a run took 10 % less wall time (README, "Benchmarks").
import { readdirSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Gives every other thread the process has now the lowest priority (Linux: each thread has its own
 * nice value, set through its thread id). Call it first thing on the main thread: the threads then
 * are Node's own helpers. Threads made later keep their own (a worker lowers itself:
 * harness/environment/workers.ts). Elsewhere it does nothing. Returns how many were lowered.
 */
export function yieldHelperThreads(taskDir = '/proc/self/task') {
  if (process.platform !== 'linux') return 0;
  let lowered = 0;
  let tids;
  try {
    tids = readdirSync(taskDir).map(Number);
  } catch {
    return 0;
  }
  for (const tid of tids) {
    if (tid === process.pid || !Number.isInteger(tid)) continue;
    try {
      setPriority(tid, constants.priority.PRIORITY_LOW);
      lowered++;
    } catch {
      // A thread that has ended meanwhile.
    }
  }
  return lowered;
}

/** V8's default interrupt budget (its --interrupt-budget, in bytes of bytecode run). */
const DEFAULT_INTERRUPT_BUDGET = 66 * 1024;

/**
 * A run is short: with V8's default budget its optimizing compiler optimized about 2,100 functions,
 * three seconds of CPU on other threads, most of them run only milliseconds more. Four times the
 * budget optimizes the hot ones (about 900) and a run takes 9 % less CPU. A budget given to Node
 * itself is kept. Returns the flag set, if any.
 */
export async function setOptimizingBudget(execArgv = process.execArgv) {
  if (execArgv.some((a) => a.startsWith('--interrupt-budget'))) return undefined;
  const flag = `--interrupt-budget=${4 * DEFAULT_INTERRUPT_BUDGET}`;
  (await import('node:v8')).setFlagsFromString(flag);
  return flag;
}
