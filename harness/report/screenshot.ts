/**
 * The README picture: the report of a real run (SCREENSHOT_RUN) with its first failed scenario
 * opened. `npx tsx harness/report/screenshot.ts [out.png] [en|ja]` (default docs/report-screenshot.png, en).
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
  options: { width?: number; height?: number; chromiumPath?: string; lang?: 'ja' | 'en' } = {},
): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-shot-'));
  const browser = await launchChromium(options.chromiumPath);
  try {
    const file = path.join(dir, 'index.html');
    await writeFile(file, renderHtml(result));
    const page = await browser.newPage({
      viewport: { width: options.width ?? 1000, height: options.height ?? 1300 },
    });
    await page.goto(`${pathToFileURL(file).href}?lang=${options.lang ?? 'ja'}`);
    await page.locator('details.scenario.failed > summary').first().click();
    // The opened scenario's glyphs load their font subsets only now (see pdf.ts).
    await page.evaluate(async () => {
      await document.fonts.ready;
    });
    await page.screenshot({ path: out });
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The run the README picture shows: the 1.1.4 regression scenarios under the 1.1.4 release, through
 * the embedded stack: a real run, whose report carries this very command as its reproduce line.
 */
export const SCREENSHOT_RUN = [
  'run',
  'scenarios/regression-1.1.4.yaml',
  '--release',
  'cocoa-1.1.4',
  '--seed',
  '20210218',
  '--reporter',
  'json',
  '--report-dir',
  'reports/screenshot-run',
] as const;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { execa } = await import('execa');
  const { readFile } = await import('node:fs/promises');
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const run = await execa('node', ['bin/ichiren.js', ...SCREENSHOT_RUN], { cwd: root, reject: false });
  // Exit 1 is the expected outcome (Android breaks at score); anything else is not a picture to keep.
  if (run.exitCode !== 1)
    throw new Error(`ichiren ${SCREENSHOT_RUN.join(' ')} exited ${run.exitCode}: ${run.stderr}`);
  const result = JSON.parse(
    await readFile(path.join(root, 'reports/screenshot-run/results.json'), 'utf8'),
  ) as RunResult;
  const out = process.argv[2] ?? SCREENSHOT_FILE;
  // English by default: the README is English, and the picture then needs no Japanese font.
  const lang = process.argv[3] === 'ja' ? 'ja' : 'en';
  await captureReportScreenshot(result, out, { lang });
  console.log(`wrote ${out} from: ichiren ${SCREENSHOT_RUN.join(' ')}`);
}
