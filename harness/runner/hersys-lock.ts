import { changesHerSys, movesHerSysClock, type PlannedStep } from '../scenario/plan.js';

/**
 * Who may use the shared HER-SYS stub when. Two things of it are shared by every cell: its stub-wide
 * fault, which touches only the verification calls the server makes during an upload (never issuing a
 * number: stubs/hersys/README.md), and its clock, by which numbers are issued and verified. (A fault set
 * for a cell's own numbers changes neither: scenario/plan.ts herSysFaultScope.) A cell that
 * changes either holds it alone from that step through its last step that reaches HER-SYS
 * (exclusiveSpan); every other cell's steps hold what they use, shared, only around the step:
 * issuing a number the clock, an upload the clock and the verification. So a fault never meets
 * another cell's upload and a moved clock nobody else's call, while the other cells' numbers are
 * issued (a web-screen number takes seconds), and their encounters, publishes and checks go on.
 */
export type HerSysUse = 'issuing' | 'verifying';

export interface HerSysAccess {
  /** Runs one step that reaches HER-SYS, beside other cells' (issuing a number, or an upload). */
  shared<T>(use: HerSysUse, work: () => Promise<T>): Promise<T>;
  /** Runs the steps of a span alone with what it changes: the faults, and the clock when `clock`. */
  exclusive<T>(span: { readonly clock: boolean }, work: () => Promise<T>): Promise<T>;
}

/** No other cell runs (a cell executed on its own). */
export const UNSHARED: HerSysAccess = { shared: (_use, work) => work(), exclusive: (_span, work) => work() };

/** Steps that reach HER-SYS: issuing a number, and uploading (the server verifies the number there). */
const reachesHerSys = (s: PlannedStep) => s.kind === 'diagnose' || s.kind === 'upload' || s.kind === 'fault';

export interface ExclusiveSpan {
  readonly first: number;
  readonly last: number;
  /** The span moves the stub's clock: nobody issues numbers meanwhile either. */
  readonly clock: boolean;
}

/**
 * The steps a cell must play holding HER-SYS alone, by index: from its first step that changes
 * HER-SYS for everyone to its last step that reaches HER-SYS. The fault is cleared before HER-SYS is
 * let go (execute-cell.ts): the steps after it (publish, check) never reach HER-SYS, so they run
 * beside other cells like any cell's. Undefined for a cell that changes nothing.
 */
export function exclusiveSpan(steps: readonly PlannedStep[]): ExclusiveSpan | undefined {
  const first = steps.findIndex(changesHerSys);
  if (first < 0) return undefined;
  const last = steps.findLastIndex(reachesHerSys);
  return { first, last, clock: steps.slice(first, last + 1).some(movesHerSysClock) };
}

/**
 * The turns of one run's cells at HER-SYS: a lock for its clock and one for its verification, always
 * taken in that order (so no two holders ever wait on each other).
 */
export class HerSysTurns implements HerSysAccess {
  readonly #clock = new HerSysLock();
  readonly #verification = new HerSysLock();

  shared<T>(use: HerSysUse, work: () => Promise<T>): Promise<T> {
    return use === 'issuing'
      ? this.#clock.shared(work)
      : this.#clock.shared(() => this.#verification.shared(work));
  }

  exclusive<T>(span: { readonly clock: boolean }, work: () => Promise<T>): Promise<T> {
    const verificationAlone = () => this.#verification.exclusive(work);
    return span.clock ? this.#clock.exclusive(verificationAlone) : this.#clock.shared(verificationAlone);
  }
}

/**
 * A read/write lock. Writers go first: once one waits, new readers wait behind it, so a fault cell is
 * never starved.
 */
export class HerSysLock {
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
