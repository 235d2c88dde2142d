import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Reporter } from '../types.js';
import { renderHtml } from './render.js';

export { POLICY, sweepChart, timelineChart } from './charts.js';
export { renderHtml } from './render.js';

/** reports/index.html: the self-contained page for people (ja/en). */
export function htmlReporter(options: { reportDir: string }): Reporter {
  return {
    name: 'html',
    async onEnd(result) {
      await mkdir(options.reportDir, { recursive: true });
      await writeFile(path.join(options.reportDir, 'index.html'), renderHtml(result));
    },
  };
}
