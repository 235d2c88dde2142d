import type { CellResult, RunResult } from '../runner/results.js';
import { type Reporter, ReporterError, type ScenarioHeader } from './types.js';

/** The reporter the runner talks to: it forwards each hook to every reporter, in order. */
export interface ReporterMultiplexer extends Reporter {
  readonly reporters: readonly Reporter[];
  /** Failures of individual reporters so far; non-empty means the run must fail. */
  errors(): readonly ReporterError[];
  /** Writes every report file again for a result changed after onEnd (stream reporters print nothing). */
  rewriteFiles(result: RunResult): Promise<void>;
}

/**
 * One reporter's failure never stops the others nor hides their output: errors are collected,
 * written to `errorStream` at the end, and exposed through errors() so the CLI fails the run
 * (Playwright's multiplexer and `_hasReporterErrors`).
 */
export function multiplex(
  reporters: readonly Reporter[],
  errorStream?: NodeJS.WritableStream,
): ReporterMultiplexer {
  const errors: ReporterError[] = [];
  async function each(
    hook: ReporterError['hook'],
    call: (r: Reporter) => void | Promise<void>,
  ): Promise<void> {
    for (const reporter of reporters) {
      try {
        await call(reporter);
      } catch (cause) {
        errors.push(new ReporterError(reporter.name, hook, cause));
      }
    }
  }
  const report = (from: number) => {
    if (errorStream) for (const e of errors.slice(from)) errorStream.write(`ichiren: ${e.message}\n`);
  };
  return {
    name: 'multiplexer',
    reporters,
    errors: () => [...errors],
    onBegin: (meta) => each('onBegin', (r) => r.onBegin?.(meta)),
    onCellEnd: (scenario: ScenarioHeader, cell: CellResult) =>
      each('onCellEnd', (r) => r.onCellEnd?.(scenario, cell)),
    async onEnd(result: RunResult) {
      await each('onEnd', (r) => r.onEnd(result));
      report(0);
    },
    async rewriteFiles(result: RunResult) {
      const before = errors.length;
      await each('onEnd', (r) => (r.printsOnly ? undefined : r.onEnd(result)));
      report(before);
    },
  };
}
