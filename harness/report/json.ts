import type { RunResult } from '../runner/results.js';
import type { Reporter } from './types.js';
import { writeReportFile } from './write-report-file.js';

/** reports/results.json is exactly the RunResult (schema: results.schema.json). */
export function jsonReporter(options: { reportDir: string }): Reporter {
  return {
    name: 'json',
    async onEnd(result: RunResult) {
      await writeReportFile(options.reportDir, 'results.json', `${JSON.stringify(result, null, 2)}\n`);
    },
  };
}
