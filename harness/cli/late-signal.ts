/**
 * A signal after the last cell — while the reports are written or the stack stops — still ends the
 * run as interrupted (exit 130): the report files must say so too, not `passed`. They are written
 * once more with status `interrupted` and every cell that finished (none is missing: notRun is empty).
 */
import type { ReporterMultiplexer } from '../report/multiplexer.js';
import type { RunResult } from '../runner/results.js';

/** The result of a run whose cells all ran but which a signal ended before it was done. */
export function interruptedAfterCells(result: RunResult): RunResult {
  return result.status === 'interrupted' ? result : { ...result, status: 'interrupted', notRun: [] };
}

/**
 * When `signal` has fired and the files last written do not say interrupted, writes them again as
 * interrupted (stream reporters print nothing more) and says so on `stderr`; returns what the files
 * now carry.
 */
export async function rewriteAfterLateSignal(
  written: RunResult,
  signal: AbortSignal,
  reporters: Pick<ReporterMultiplexer, 'rewriteFiles'>,
  stderr: NodeJS.WritableStream,
): Promise<RunResult> {
  if (!signal.aborted || written.status === 'interrupted') return written;
  const result = interruptedAfterCells(written);
  stderr.write(
    'ichiren: interrupted after the last cell; the reports are written again with status interrupted (every cell had finished)\n',
  );
  await reporters.rewriteFiles(result);
  return result;
}
