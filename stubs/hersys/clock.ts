/**
 * The stub's own clock: real time plus an offset the harness sets through control, so numbers can be
 * expired without waiting (PUT /control/clock).
 */
export class StubClock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
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
