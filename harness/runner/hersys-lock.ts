/**
 * Who may use the shared HER-SYS stub when. A cell that faults HER-SYS or moves its clock holds it
 * alone (exclusive) for the whole cell; every other cell holds it shared, only around its steps that
 * reach HER-SYS (issuing a number, uploading: the server verifies the number). So a fault never meets
 * another cell's HER-SYS call, while the other cells' encounters, publishes and checks run on beside
 * it. Writers go first: once one waits, new readers wait behind it, so a fault cell is never starved.
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
