/** Writes audit.json and audit.html, each atomically (the reporters' shared helper). */
import { writeReportFile } from '../report/write-report-file.js';
import type { AuditResult } from './audit.js';
import { renderAuditPage } from './html.js';

export async function writeAuditReports(dir: string, result: AuditResult): Promise<string[]> {
  return [
    await writeReportFile(dir, 'audit.json', `${JSON.stringify(result, null, 2)}\n`),
    await writeReportFile(dir, 'audit.html', renderAuditPage(result)),
  ];
}
