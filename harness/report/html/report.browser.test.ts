/**
 * The report in a real browser (Chromium through Playwright), opened from file:// as a reader would.
 * Layout guard: a baseline picture of the top of the page, compared with pixelmatch; refresh it with
 * ICHIREN_UPDATE_SCREENSHOTS=1 npx vitest run harness/report/html after an intended change.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pixelmatch from 'pixelmatch';
import type { Browser, BrowserContext, Locator, Page } from 'playwright';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../browser/chromium.js';
import { sampleAndroidBrokenRun, sampleSweepRun } from '../fixtures/index.js';
import { htmlReporter } from './index.js';

const BASELINE = new URL('./__screenshots__/report-top-android-broken.png', import.meta.url);
/** Share of pixels allowed to differ (anti-aliasing varies a little); 1px more letter-spacing in the verdict moves 0.5%. */
const MAX_DIFF_RATIO = 0.003;

let dir: string;
let browser: Browser;
let context: BrowserContext;
let brokenUrl: string;
let sweepUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-html-'));
  await htmlReporter({ reportDir: path.join(dir, 'broken') }).onEnd(sampleAndroidBrokenRun);
  await htmlReporter({ reportDir: path.join(dir, 'sweep') }).onEnd(sampleSweepRun);
  brokenUrl = pathToFileURL(path.join(dir, 'broken', 'index.html')).href;
  sweepUrl = pathToFileURL(path.join(dir, 'sweep', 'index.html')).href;
  browser = await launchChromium();
});

afterEach(async () => {
  await context?.close();
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What a reader sees: Playwright's innerText skips the hidden language, textContent would not. */
function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator, where innerText is the point
  return locator.innerText();
}

/** A fresh context (fresh localStorage) whose page records console errors and any network request. */
async function open(url: string): Promise<{ page: Page; problems: string[] }> {
  context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(url);
  return { page, problems };
}

describe('HTML report in Chromium', () => {
  it('opens from file:// without console errors or network requests', async () => {
    for (const url of [brokenUrl, sweepUrl]) {
      await context?.close();
      const { page, problems } = await open(url);
      await page.locator('details.scenario > summary').first().click();
      expect(problems).toEqual([]);
    }
  });

  it('shows Android ✘ and iOS ✔ in the verdict, in Japanese first', async () => {
    const { page } = await open(brokenUrl);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await expect
      .poll(() => visibleText(page.locator('.verdict-item[data-platform="android"]')))
      .toContain('通知がAndroidに届く ✘');
    expect(await visibleText(page.locator('.verdict-item[data-platform="ios"]'))).toContain(
      '通知がiOSに届く ✔',
    );
    expect(await page.locator('.verdict-item.broken').count()).toBe(1);
  });

  it('switches ja → en → ja, changes the visible texts and remembers the choice', async () => {
    const { page } = await open(brokenUrl);
    const android = page.locator('.verdict-item[data-platform="android"]');
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await visibleText(android)).toContain('Notifications reach Android ✘');
    expect(await visibleText(android)).not.toContain('通知');
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.title()).toContain('end-to-end test report');
    await page.reload();
    expect(await visibleText(android)).toContain('Notifications reach Android ✘');
    await page.getByRole('button', { name: '日本語' }).click();
    expect(await visibleText(android)).toContain('通知がAndroidに届く ✘');
    expect(await visibleText(android)).not.toContain('Notifications');
  });

  it('expands a failed scenario to the broken link, marked, with its evidence in both languages', async () => {
    const { page } = await open(brokenUrl);
    const failed = page.locator('details.scenario.failed');
    expect(await failed.count()).toBe(1);
    const broken = failed.locator('.link.first-broken');
    expect(await broken.isVisible()).toBe(false);
    await failed.locator(':scope > summary').click();
    expect(await broken.isVisible()).toBe(true);
    expect(await broken.getAttribute('data-link')).toBe('score');
    expect(await visibleText(broken)).toContain('評価');
    expect(await visibleText(broken)).toContain('ここで途切れた');
    const evidence = failed.locator('.evidence[data-link="score"]');
    expect(await visibleText(evidence)).toContain('最大リスク 0 < 閾値 21');
    // The links before it held, the one after it did not run.
    const statuses = await failed
      .locator('[data-phone="android-receiver"] .link')
      .evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-link')}:${e.getAttribute('data-status')}`),
      );
    expect(statuses).toEqual([
      'contact:passed',
      'diagnosis:passed',
      'upload:passed',
      'publish:passed',
      'download:passed',
      'match:passed',
      'score:failed',
      'notify:skipped',
    ]);
    await page.getByRole('button', { name: 'English' }).click();
    expect(await visibleText(broken)).toContain('score');
    expect(await visibleText(broken)).toContain('broke here');
    expect(await visibleText(evidence)).toContain('highest risk 0 < minimum 21');
    expect(await page.locator('details.scenario.passed .link.first-broken').count()).toBe(0);
  });

  it('shows the sweep maps: no Android point notified, iOS notified inside the policy region', async () => {
    const { page } = await open(sweepUrl);
    await page.locator('details.scenario > summary').first().click();
    const maps = page.locator('.sweep-map');
    expect(await maps.count()).toBe(2);
    expect(
      await visibleText(page.locator('.sweep-map[data-platform="android"] figcaption:visible')),
    ).toContain('20点中 0点で通知');
    expect(await page.locator('.sweep-map[data-platform="ios"] svg:visible').count()).toBe(1);
    const box = await page.locator('.sweep-map[data-platform="ios"] svg:visible').boundingBox();
    expect(box?.width).toBeGreaterThan(200);
  });

  it('keeps the layout of the top of the page (verdict side by side, then the comparison)', async () => {
    const { page } = await open(brokenUrl);
    const [a, i, table] = await Promise.all([
      page.locator('.verdict-item[data-platform="android"]').boundingBox(),
      page.locator('.verdict-item[data-platform="ios"]').boundingBox(),
      page.locator('table.comparison').boundingBox(),
    ]);
    expect(a && i && table).toBeTruthy();
    expect(Math.abs(a!.y - i!.y)).toBeLessThan(2);
    expect(a!.x).toBeLessThan(i!.x);
    expect(table!.y).toBeGreaterThan(a!.y + a!.height);

    const clip = { x: 0, y: 0, width: 1000, height: Math.ceil(table!.y + table!.height + 16) };
    const actual = PNG.sync.read(await page.screenshot({ clip }));
    if (process.env.ICHIREN_UPDATE_SCREENSHOTS === '1') writeFileSync(BASELINE, PNG.sync.write(actual));
    expect(existsSync(BASELINE), 'no baseline: run with ICHIREN_UPDATE_SCREENSHOTS=1 and commit it').toBe(
      true,
    );
    const expected = PNG.sync.read(readFileSync(BASELINE));
    expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
    const diff = pixelmatch(actual.data, expected.data, undefined, actual.width, actual.height, {
      threshold: 0.2,
    });
    const ratio = diff / (actual.width * actual.height);
    expect(ratio, `${(ratio * 100).toFixed(2)}% of pixels differ from the baseline`).toBeLessThan(
      MAX_DIFF_RATIO,
    );
  });
});
