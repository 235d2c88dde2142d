import type { CellResult, RunResult, Text } from '../runner/results.js';

/** What a reporter learns about a scenario while cells finish (the full result arrives in onEnd). */
export interface ScenarioHeader {
  readonly id: string;
  readonly title: Text;
  /** The id of the scenario's first planned cell (the HTML report charts its timeline). */
  readonly firstCell?: string;
}

/**
 * A report format over the run's data, after Playwright's reporter API: optional hooks while the run
 * goes on, one required hook at the end. Reporters only read; they never reach into the runner.
 */
export interface Reporter {
  readonly name: string;
  /** Prints to a stream and writes no file: a result changed after the end is not printed twice. */
  readonly printsOnly?: boolean;
  onBegin?(meta: { scenarios: number; cells: number }): void | Promise<void>;
  onCellEnd?(scenario: ScenarioHeader, cell: CellResult): void | Promise<void>;
  onEnd(result: RunResult): void | Promise<void>;
}

export interface ReporterOptions {
  /** Folder for report files (created when missing), e.g. "reports". */
  readonly reportDir: string;
  /** Where the terminal reporter writes (default process.stdout). */
  readonly stream?: NodeJS.WritableStream;
  /** Also write the PDF (the same as naming the "pdf" reporter). */
  readonly pdf?: boolean;
  /** Chromium for the PDF; default: the run's (harness/browser/chromium.ts). */
  readonly chromiumPath?: string;
}

/** A reporter's failure, kept as a value so the others still run (style.md principle 9). */
export class ReporterError extends Error {
  readonly code = 'ICHIREN_REPORTER_FAILED';
  constructor(
    readonly reporter: string,
    readonly hook: 'onBegin' | 'onCellEnd' | 'onEnd',
    override readonly cause: unknown,
  ) {
    super(
      `reporter "${reporter}" failed in ${hook}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'ReporterError';
  }
}

/** An unknown name on the command line (`--reporter foo`); the CLI turns it into a usage error. */
export class UnknownReporterError extends Error {
  readonly code = 'ICHIREN_REPORTER_UNKNOWN';
  constructor(
    readonly reporter: string,
    readonly known: readonly string[],
  ) {
    super(`unknown reporter "${reporter}" (known: ${known.join(', ')})`);
    this.name = 'UnknownReporterError';
  }
}
