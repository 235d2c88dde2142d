/** Writes cases.html and cases.pdf, each atomically (the reporters' shared helper). */
import { writeReportFile } from '../report/write-report-file.js';
import { renderCasesPage } from './html.js';
import type { CaseBook } from './model.js';
import { printCasesPdf } from './pdf.js';

export async function writeCases(
  dir: string,
  book: CaseBook,
  options: { generatedBy: string; pdf?: boolean; chromiumPath?: string },
): Promise<string[]> {
  const html = renderCasesPage(book, options.generatedBy);
  const written = [await writeReportFile(dir, 'cases.html', html)];
  if (options.pdf !== false)
    written.push(
      await writeReportFile(
        dir,
        'cases.pdf',
        await printCasesPdf(html, { chromiumPath: options.chromiumPath }),
      ),
    );
  return written;
}
