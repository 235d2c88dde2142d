import type { Reporter } from '../types.js';
import { writeReportFile } from '../write-report-file.js';
import { renderHtml } from './render.js';
import { ReportCharts } from './report-charts.js';

export { POLICY, sweepChart, timelineChart } from './charts.js';
export { renderHtml } from './render.js';

/** reports/index.html: the self-contained page for people (ja/en). */
export function htmlReporter(options: { reportDir: string }): Reporter {
  const charts = new ReportCharts();
  return {
    name: 'html',
    onBegin() {
      charts.start();
    },
    onCellEnd(scenario, cell) {
      // The page charts the timeline of each scenario's first cell: draw it now, on another thread.
      if (cell.id === scenario.firstCell && cell.timeline.length > 0)
        for (const lang of ['ja', 'en'] as const)
          void charts.request({ kind: 'timeline', events: cell.timeline, lang });
    },
    async onEnd(result) {
      const page = await charts.renderWith((draw) => renderHtml(result, draw));
      await writeReportFile(options.reportDir, 'index.html', page);
    },
  };
}
