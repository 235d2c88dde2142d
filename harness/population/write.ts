/** Writes population.json and population.html, each atomically (the reporters' shared helper). */
import { writeReportFile } from '../report/write-report-file.js';
import { renderPopulationPage } from './html.js';
import type { PopulationResult } from './results.js';
import type { PopulationComparison } from './run.js';

export interface PopulationReport {
  readonly runs: readonly PopulationResult[];
  readonly comparison?: PopulationComparison;
}

export async function writePopulationReports(dir: string, report: PopulationReport): Promise<string[]> {
  const json = await writeReportFile(
    dir,
    'population.json',
    `${JSON.stringify({ schemaVersion: 1, kind: 'population', ...report }, null, 2)}\n`,
  );
  const html = await writeReportFile(dir, 'population.html', renderPopulationPage(report));
  return [json, html];
}
