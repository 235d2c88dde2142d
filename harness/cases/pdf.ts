/** The cases page printed by Chromium on A4 through the report's printer (the project's one launcher). */
import { printHtmlPdf } from '../report/pdf.js';

export const printCasesPdf = (html: string, options: { chromiumPath?: string } = {}): Promise<Buffer> =>
  printHtmlPdf(html, options);
