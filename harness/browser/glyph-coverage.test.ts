/**
 * The missing-glyph check against pages whose answer is known: text in the embedded fonts passes,
 * Hangul (no embedded font holds it) is found by both views. Runs on machines without CJK fonts.
 */
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fontFaceCss } from '../report/html/fonts.js';
import { launchChromium } from './chromium.js';
import { findMissingGlyphs } from './glyph-coverage.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A page with the report's fonts embedded for exactly its own text, as the report does. */
async function problemsOf(body: string) {
  const css = `${fontFaceCss(body)} body{font-family:'ichiren Sans JP','ichiren Symbols'} button{font:inherit}`;
  const page = await browser.newPage();
  try {
    await page.setContent(
      `<!doctype html><html><head><style>${css}</style></head><body>${body}</body></html>`,
    );
    return await findMissingGlyphs(page);
  } finally {
    await page.close();
  }
}

describe('findMissingGlyphs', () => {
  it('finds nothing missing in Japanese, Latin and ✔ ✘ drawn with the embedded fonts', async () => {
    expect(
      await problemsOf('<h1>ichiren 一連</h1><button>日本語</button><p>通知がAndroidに届く ✔ ✘</p>'),
    ).toEqual([]);
  });

  it('names text no embedded font holds, by its characters and the system font it fell back to', async () => {
    const problems = await problemsOf('<p>一連</p><p id="k">한국어</p>');
    expect(problems.map((p) => p.text)).toEqual(['한국어', '한국어']);
    expect(problems[0].problem).toContain('U+D55C');
    expect(problems[1].problem).toMatch(/drawn with system font/);
  });

  it('finds a button left in the browser default font (it does not inherit the page font)', async () => {
    const page = await browser.newPage();
    try {
      await page.setContent(
        `<html><head><style>${fontFaceCss('日本語')} body{font-family:'ichiren Sans JP'}</style></head><body><button>日本語</button></body></html>`,
      );
      const problems = await findMissingGlyphs(page);
      expect(problems.map((p) => p.problem).join('\n')).toMatch(/drawn with system font/);
    } finally {
      await page.close();
    }
  });

  it('finds a character whose font was never embedded even when the rest of the node is fine', async () => {
    // fontFaceCss gets only the Latin text, so the Japanese file is never loaded.
    const page = await browser.newPage();
    try {
      await page.setContent(
        `<html><head><style>${fontFaceCss('ichiren')} body{font-family:'ichiren Sans JP'}</style></head><body><p>ichiren 一連</p></body></html>`,
      );
      const problems = await findMissingGlyphs(page);
      expect(problems.some((p) => p.problem.includes('一 U+4E00'))).toBe(true);
    } finally {
      await page.close();
    }
  });
});
