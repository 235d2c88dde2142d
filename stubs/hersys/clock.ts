/**
 * The stub's own clock: a base clock (the run's, which ichiren hands to the stub; else the machine's)
 * plus an offset the harness sets through control, so numbers can be expired without waiting
 * (PUT /control/clock).
 */
/** ±10 years: keeps the stub's dates representable (a Date ends at ±8.64e15 ms) and numbers checkable. */
export const MAX_CLOCK_OFFSET_MS = 10 * 366 * 86_400_000;

/** Why an offset cannot be used, or undefined when it can. */
export function clockOffsetProblem(offsetMs: unknown): string | undefined {
  if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) return 'must be a finite number';
  if (Math.abs(offsetMs) > MAX_CLOCK_OFFSET_MS) return `must be within ±${MAX_CLOCK_OFFSET_MS} ms (10 years)`;
  return undefined;
}

export class StubClock {
  #offsetMs = 0;
  readonly #base: () => number;

  /** `base`: Unix ms of the clock the stub runs on (the run's clock); default the machine's. */
  constructor(base: () => number = Date.now) {
    this.#base = base;
  }

  now(): number {
    return this.#base() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  setOffset(ms: number): void {
    this.#offsetMs = ms;
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}
