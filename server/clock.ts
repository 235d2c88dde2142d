/**
 * The server's clock: every "now" the server judges by (the key window, "no key from the future",
 * the export embargo, an export's `created`) is read here, never from Date.now() directly (style.md
 * principle 19). It runs with the machine's clock from where it was set: ichiren sets it to the
 * run's clock at start (`clock` option, or `ICHIREN_SERVER_NOW`) and moves it with the scenario
 * (`PUT /api/admin/clock`). Log timestamps stay on the machine's clock: they say when it happened.
 */
export interface ServerClock {
  /** Unix ms. */
  now(): number;
  /** Sets the clock to `ms` from now on; it runs on from there. */
  set(ms: number): void;
}

/** The machine's clock shifted by an offset that `set` chooses. */
export class OffsetClock implements ServerClock {
  #offsetMs: number;

  constructor(startMs?: number) {
    this.#offsetMs = startMs === undefined ? 0 : startMs - Date.now();
  }

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  set(ms: number): void {
    this.#offsetMs = ms - Date.now();
  }
}

/** Parses an ISO 8601 time with a zone (…Z or ±hh:mm) to Unix ms; undefined when it is not one. */
export function parseIsoTime(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}
