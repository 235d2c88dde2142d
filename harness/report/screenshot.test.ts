/**
 * The page the README picture is taken of has no missing glyphs: the report of the picture's own real
 * run, every scenario opened, in Japanese and in English, drawn only with the fonts it embeds (so it
 * holds on a machine without system CJK fonts, where a missing glyph would be an empty box).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser/chromium.js';
import { findMissingGlyphs } from '../browser/glyph-coverage.js';
import type { RunResult } from '../runner/results.js';
import { renderHtml } from './html/index.js';
import { runForScreenshot } from './screenshot.js';

let dir: string;
let browser: Browser;
let result: RunResult;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-glyphs-'));
  result = await runForScreenshot(path.join(dir, 'run'));
  await writeFile(path.join(dir, 'index.html'), renderHtml(result));
  url = pathToFileURL(path.join(dir, 'index.html')).href;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the README picture’s page', () => {
  it('comes from a real run in which Android breaks at score and iOS is notified', () => {
    const verdict = Object.fromEntries(result.summary.verdict.map((v) => [v.platform, v.reaches]));
    expect(verdict).toEqual({ android: false, ios: true });
  });

  for (const lang of ['ja', 'en'] as const)
    it(`draws every character with a font it loaded, in ${lang === 'ja' ? 'Japanese' : 'English'}, every scenario opened`, {
      timeout: 180_000,
    }, async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1300 } });
      try {
        await page.goto(`${url}?lang=${lang}`);
        await page.evaluate(() => {
          for (const d of document.querySelectorAll('details')) d.open = true;
        });
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator; what is shown is the point
        const text = await page.locator('header.top').innerText();
        expect(text).toContain('一連');
        expect(text).toContain('日本語');
        expect(await findMissingGlyphs(page)).toEqual([]);
      } finally {
        await page.close();
      }
    });
});
