import type { Reporter } from '../types.js';
import { writeReportFile } from '../write-report-file.js';
import { renderHtml } from './render.js';

export { POLICY, sweepChart, timelineChart } from './charts.js';
export { renderHtml } from './render.js';

/** reports/index.html: the self-contained page for people (ja/en). */
export function htmlReporter(options: { reportDir: string }): Reporter {
  return {
    name: 'html',
    async onEnd(result) {
      await writeReportFile(options.reportDir, 'index.html', renderHtml(result));
    },
  };
}
