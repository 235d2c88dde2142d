/** A scenario or release file that cannot be used, located at file:line:column (style.md principle 11). */
export class ScenarioError extends Error {
  readonly code = 'ICHIREN_SCENARIO_INVALID';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** e.g. `phones.b.platform must be "android" or "ios"`. */
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'ScenarioError';
  }
}

/** Several errors of one file (or of several files), reported together. */
export class ScenarioErrors extends Error {
  readonly code = 'ICHIREN_SCENARIO_INVALID';
  constructor(readonly errors: readonly ScenarioError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ScenarioErrors';
  }
}
