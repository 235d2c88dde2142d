import type { Page } from 'playwright';
import { launchChromium } from '../browser/chromium.js';
import type { RunResult } from '../runner/results.js';
import { renderHtml } from './html/index.js';
import type { Reporter } from './types.js';
import { writeReportFile } from './write-report-file.js';

/**
 * A self-contained ichiren page printed by Chromium on A4 (its print CSS); `prepare` sets the page up
 * first (opens sections, picks the language). The fonts come embedded in the page (html/fonts.ts).
 */
export async function printHtmlPdf(
  html: string,
  options: { chromiumPath?: string; prepare?: (page: Page) => Promise<void> } = {},
): Promise<Buffer> {
  const browser = await launchChromium(options.chromiumPath);
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await options.prepare?.(page);
    await page.emulateMedia({ media: 'print' });
    // Opened sections show glyphs whose font files (unicode-range subsets, font-display: block)
    // load only now: print once they are in, or their text is blank.
    await page.evaluate(async () => {
      await document.fonts.ready;
    });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}

/** The HTML report printed, every scenario opened, in the chosen language. */
export function renderPdf(
  result: RunResult,
  options: { chromiumPath?: string; lang?: 'ja' | 'en' } = {},
): Promise<Buffer> {
  return printHtmlPdf(renderHtml(result), {
    ...(options.chromiumPath ? { chromiumPath: options.chromiumPath } : {}),
    prepare: (page) =>
      page.evaluate((lang) => {
        for (const d of document.querySelectorAll('details')) d.open = true;
        document.documentElement.lang = lang;
        document.documentElement.dataset.lang = lang;
      }, options.lang ?? 'ja'),
  });
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
