import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from '../runner/results.js';
import type { Reporter } from './types.js';

/** reports/results.json is exactly the RunResult (schema: results.schema.json). */
export function jsonReporter(options: { reportDir: string }): Reporter {
  return {
    name: 'json',
    async onEnd(result: RunResult) {
      await mkdir(options.reportDir, { recursive: true });
      await writeFile(path.join(options.reportDir, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
    },
  };
}
