/**
 * The README picture: the broken-Android sample report with its failed scenario opened.
 * `npx tsx harness/report/screenshot.ts [out.png]` (default docs/report-screenshot.png).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from '../browser/chromium.js';
import type { RunResult } from '../runner/results.js';
import { renderHtml } from './html/index.js';

export const SCREENSHOT_FILE = fileURLToPath(new URL('../../docs/report-screenshot.png', import.meta.url));

export async function captureReportScreenshot(
  result: RunResult,
  out: string,
  options: { width?: number; height?: number; chromiumPath?: string } = {},
): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-shot-'));
  const browser = await launchChromium(options.chromiumPath);
  try {
    const file = path.join(dir, 'index.html');
    await writeFile(file, renderHtml(result));
    const page = await browser.newPage({
      viewport: { width: options.width ?? 1000, height: options.height ?? 1300 },
    });
    await page.goto(pathToFileURL(file).href);
    await page.locator('details.scenario.failed > summary').first().click();
    await page.screenshot({ path: out });
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { sampleAndroidBrokenRun } = await import('./fixtures/index.js');
  const out = process.argv[2] ?? SCREENSHOT_FILE;
  await captureReportScreenshot(sampleAndroidBrokenRun, out);
  console.log(`wrote ${out}`);
}
