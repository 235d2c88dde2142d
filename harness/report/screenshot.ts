/**
 * The README picture: the report of a real run (SCREENSHOT_RUN) with its first failed scenario
 * opened, drawn with the report's own fonts (embedded from npm). `npm run screenshot [-- out.png [en|ja]]`
 * (default docs/report-screenshot.png, en). It refuses to write a picture with a missing glyph.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from '../browser/chromium.js';
import { findMissingGlyphs } from '../browser/glyph-coverage.js';
import type { RunResult } from '../runner/results.js';
import { renderHtml } from './html/index.js';

export const SCREENSHOT_FILE = fileURLToPath(new URL('../../docs/report-screenshot.png', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

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
    // The opened scenario's glyphs load their font subsets only now (see pdf.ts); findMissingGlyphs waits.
    const missing = await findMissingGlyphs(page);
    if (missing.length > 0)
      throw new Error(
        `the picture would show missing glyphs:\n${missing.map((m) => `  "${m.text}": ${m.problem}`).join('\n')}`,
      );
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
] as const;

/** Runs SCREENSHOT_RUN through the CLI into `reportDir` and returns its result. */
export async function runForScreenshot(reportDir: string): Promise<RunResult> {
  const { execa } = await import('execa');
  const args = [...SCREENSHOT_RUN, '--report-dir', reportDir];
  const run = await execa('node', ['bin/ichiren.js', ...args], { cwd: ROOT, reject: false });
  // Exit 1 is the expected outcome (Android breaks at score); anything else is not a picture to keep.
  if (run.exitCode !== 1) throw new Error(`ichiren ${args.join(' ')} exited ${run.exitCode}: ${run.stderr}`);
  return JSON.parse(await readFile(path.join(reportDir, 'results.json'), 'utf8')) as RunResult;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const reportDir = path.join(ROOT, 'reports/screenshot-run');
  const result = await runForScreenshot(reportDir);
  const out = process.argv[2] ?? SCREENSHOT_FILE;
  // English by default, as the README is; the header's 一連 and the 日本語 button still need the JP font.
  const lang = process.argv[3] === 'ja' ? 'ja' : 'en';
  await captureReportScreenshot(result, out, { lang });
  console.log(`wrote ${out} from: ichiren ${SCREENSHOT_RUN.join(' ')} --report-dir reports/screenshot-run`);
}
