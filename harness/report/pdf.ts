import { launchChromium } from '../browser/chromium.js';
import type { RunResult } from '../runner/results.js';
import { renderHtml } from './html/index.js';
import type { Reporter } from './types.js';
import { writeReportFile } from './write-report-file.js';

/**
 * The HTML report printed by Chromium (its print CSS), every scenario opened, in the chosen language.
 * The fonts come embedded in the page (html/fonts.ts).
 */
export async function renderPdf(
  result: RunResult,
  options: { chromiumPath?: string; lang?: 'ja' | 'en' } = {},
): Promise<Buffer> {
  const browser = await launchChromium(options.chromiumPath);
  try {
    const page = await browser.newPage();
    await page.setContent(renderHtml(result), { waitUntil: 'load' });
    await page.evaluate((lang) => {
      for (const d of document.querySelectorAll('details')) d.open = true;
      document.documentElement.lang = lang;
      document.documentElement.dataset.lang = lang;
    }, options.lang ?? 'ja');
    await page.emulateMedia({ media: 'print' });
    // Opened scenarios show glyphs whose font files (unicode-range subsets, font-display: block)
    // load only now: print once they are in, or their text is blank.
    await page.evaluate(async () => {
      await document.fonts.ready;
    });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}

export function pdfReporter(options: { reportDir: string; chromiumPath?: string }): Reporter {
  return {
    name: 'pdf',
    async onEnd(result) {
      const pdf = await renderPdf(result, { chromiumPath: options.chromiumPath });
      await writeReportFile(options.reportDir, 'report.pdf', pdf);
    },
  };
}
