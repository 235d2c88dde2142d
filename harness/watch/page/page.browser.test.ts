/**
 * The history page in a real browser (Chromium through Playwright), from file://: Japanese first,
 * "Android ✘ since …, iOS ✔" at the top, a timeline per platform, the first failing observation's
 * evidence one click away, the English switch, and no console error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../browser/chromium.js';
import { jst } from '../catalog.js';
import { openHistory } from '../history/db.js';
import { appendRun } from '../history/store.js';
import { phoneOutcomes } from '../outcomes.js';
import { observedRun, runResult } from '../testing.js';
import { writeHistoryPage } from './write.js';

let dir: string;
let browser: Browser;
let pageUrl: string;
let firstFailureRun: number;
/** What a reader sees: innerText skips the hidden language, textContent would not. */
function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator, where innerText is the point
  return locator.innerText();
}

const at = (min: number) => new Date(Date.UTC(2026, 0, 5, 1, min));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-watch-page-'));
  const db = await openHistory({ memory: true });
  try {
    for (const [min, android] of [
      [0, null],
      [15, null],
      [30, 'score'],
      [45, 'score'],
    ] as const) {
      const result = runResult({ android, ios: null });
      const { runId } = await appendRun(db, observedRun(result, at(min)), phoneOutcomes(result));
      if (min === 30) firstFailureRun = runId;
    }
    await writeHistoryPage(db, path.join(dir, 'history.html'), { now: at(50) });
  } finally {
    await db.close();
  }
  pageUrl = pathToFileURL(path.join(dir, 'history.html')).href;
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('history page in Chromium', () => {
  it('reads "Android ✘ since …, iOS ✔", shows both timelines and the first failure one click away', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(pageUrl);

      const headline = page.locator('ul.headline');
      expect(await visibleText(headline)).toContain(
        `Android ✘ ${jst(at(30).toISOString())} から（評価で途切れた）`,
      );
      expect(await visibleText(page.locator('li.platform[data-platform="ios"]'))).toBe('iOS ✔');
      for (const p of ['android', 'ios'])
        expect(
          await page.locator(`section.platform-timeline[data-platform="${p}"] figure[lang="ja"] svg`).count(),
        ).toBe(1);

      await page.locator('li.platform[data-platform="android"] a').click();
      const evidence = page.locator('section.evidence:target');
      await expect.poll(() => evidence.count()).toBe(1);
      const text = await visibleText(evidence);
      expect(text).toContain(`#${firstFailureRun}`);
      expect(text).toContain('評価');
      expect(text).toContain('score broke');
      expect(await evidence.locator('ol.chain li.fail').count()).toBe(1);

      await page.getByRole('button', { name: 'English' }).click();
      expect(await visibleText(headline)).toContain(
        `Android ✘ since ${jst(at(30).toISOString())} (broken at score)`,
      );
      expect(await visibleText(headline)).toContain('iOS ✔');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
