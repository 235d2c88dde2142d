import type { PlannedStep } from '../scenario/plan.js';

/**
 * Who may use the shared HER-SYS stub when. A cell that faults HER-SYS or moves its clock holds it
 * alone (exclusive) from that step through its last step that reaches HER-SYS (exclusiveSpan); every
 * other HER-SYS step of every cell holds it shared, only around the step (issuing a number,
 * uploading: the server verifies the number). So a fault never meets another cell's HER-SYS call,
 * while the other cells' encounters, publishes and checks run on beside it. Writers go first: once
 * one waits, new readers wait behind it, so a fault cell is never starved.
 */
export interface HerSysAccess {
  shared<T>(work: () => Promise<T>): Promise<T>;
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

/** No other cell runs (a cell executed on its own). */
export const UNSHARED: HerSysAccess = { shared: (work) => work(), exclusive: (work) => work() };

/** Steps that reach HER-SYS: issuing a number, and uploading (the server verifies the number there). */
const reachesHerSys = (s: PlannedStep) => s.kind === 'diagnose' || s.kind === 'upload' || s.kind === 'fault';
/** Steps that change what HER-SYS answers everyone: a fault, or its clock moved past a number's expiry. */
const changesHerSys = (s: PlannedStep) =>
  s.kind === 'fault' || (s.kind === 'upload' && s.number === 'expired');

/**
 * The steps a cell must play holding HER-SYS alone, as [first, last] indexes: from its first step
 * that changes HER-SYS for everyone to its last step that reaches HER-SYS. The fault is cleared
 * before HER-SYS is let go (execute-cell.ts): the steps after it (publish, check) never reach HER-SYS,
 * so they run beside other cells like any cell's. Undefined for a cell that changes nothing.
 */
export function exclusiveSpan(steps: readonly PlannedStep[]): readonly [number, number] | undefined {
  const first = steps.findIndex(changesHerSys);
  if (first < 0) return undefined;
  return [first, steps.findLastIndex(reachesHerSys)];
}

export class HerSysLock implements HerSysAccess {
  #readers = 0;
  #writer = false;
  readonly #writers: (() => void)[] = [];
  readonly #readersWaiting: (() => void)[] = [];

  /** Runs `work` while no exclusive holder runs; other shared holders may run beside it. */
  async shared<T>(work: () => Promise<T>): Promise<T> {
    if (this.#writer || this.#writers.length > 0)
      await new Promise<void>((resolve) => this.#readersWaiting.push(resolve));
    else this.#readers++;
    try {
      return await work();
    } finally {
      this.#readers--;
      this.#next();
    }
  }

  /** Runs `work` alone: no other holder, shared or exclusive, runs meanwhile. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.#writer || this.#readers > 0) await new Promise<void>((resolve) => this.#writers.push(resolve));
    else this.#writer = true;
    try {
      return await work();
    } finally {
      this.#writer = false;
      this.#next();
    }
  }

  /** Hands the stub on: to the next writer once nobody holds it, else to every waiting reader. */
  #next(): void {
    if (this.#writer) return;
    if (this.#writers.length > 0) {
      if (this.#readers > 0) return;
      this.#writer = true;
      this.#writers.shift()?.();
      return;
    }
    for (const resolve of this.#readersWaiting.splice(0)) {
      this.#readers++;
      resolve();
    }
  }
}
