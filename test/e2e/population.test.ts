/**
 * `ichiren population` end to end at a small size: the real CLI, the embedded stack, the real chain.
 * The 1.1.4 defect must show as Android sensitivity 0 lost at score with iOS unchanged; shards merged
 * must equal the single run exactly; the HTML page must open in Chromium.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser/chromium.js';
import type { PopulationResult } from '../../harness/population/results.js';
import type { PopulationComparison } from '../../harness/population/run.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// A fixed clock: the population's days are placed from its UTC date, so runs compare exactly.
const NOW = new Date(Date.now() - 3600_000).toISOString();
const SIZE = ['--phones', '1000', '--days', '5', '--incidence', '0.02', '--seed', '3', '--now', NOW];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-population-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const population = (args: string[]) =>
  execa('node', ['bin/ichiren.js', 'population', ...args], { cwd: root, reject: false, timeout: 240_000 });

async function report(reportDir: string) {
  return JSON.parse(await readFile(path.join(reportDir, 'population.json'), 'utf8')) as {
    runs: PopulationResult[];
    comparison?: PopulationComparison;
  };
}

describe('ichiren population', () => {
  it('under cocoa-1.1.4 no Android close contact is notified, lost at score, while iOS is unchanged', async () => {
    const reportDir = path.join(dir, 'compare');
    // Against the fix (1.2.2, EN v1 like 1.1.4) so that only the 1.1.4 defect differs: latest is the
    // EN v2 app, whose iOS sensitivity is not 1.1.4's.
    const r = await population([
      ...SIZE,
      '--release',
      'cocoa-1.2.2',
      '--compare',
      'cocoa-1.1.4',
      '--report-dir',
      reportDir,
    ]);
    expect(r.exitCode, r.stderr).toBe(1); // the 1.1.4 run's differential fails
    expect(r.stdout).toMatch(/what-if: cocoa-1\.2\.2 → cocoa-1\.1\.4/);
    expect(r.stdout).toMatch(/Android and iOS differ ✘/);
    const doc = await report(reportDir);
    const schema = JSON.parse(
      await readFile(path.join(root, 'harness/population/population.schema.json'), 'utf8'),
    );
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const { runs, comparison } = doc;
    const [latest, defect] = runs;
    expect(latest.summary.platforms.android.sensitivity.trials).toBeGreaterThan(20);
    expect(latest.summary.platforms.android.sensitivity.successes).toBeGreaterThan(0);
    expect(latest.summary.differential.passed).toBe(true);
    const android = defect.summary.platforms.android;
    expect(android.sensitivity.successes).toBe(0);
    const lost = android.lostAt;
    const lostTotal = Object.values(lost).reduce((a, b) => a + b, 0);
    // Every Android close contact that got as far as the score was lost there.
    expect(lost.score).toBeGreaterThan(0);
    expect(lost.match + lost.notify).toBe(0);
    expect(lostTotal).toBe(android.sensitivity.trials);
    expect(defect.summary.platforms.ios.sensitivity).toEqual(latest.summary.platforms.ios.sensitivity);
    expect(defect.summary.differential.passed).toBe(false);
    expect(comparison?.android.test.indistinguishable).toBe(false);
    expect(comparison?.ios.test.indistinguishable).toBe(true);

    // The page, in Chromium: both runs, the failed differential, no console errors.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(path.join(reportDir, 'population.html')).href);
      expect(await page.locator('[data-differential="failed"]').count()).toBe(1);
      expect(await page.locator('[data-differential="passed"]').count()).toBe(1);
      expect(await page.locator('#what-if').textContent()).toContain('cocoa-1.1.4');
      expect(await page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(4);
      await page.click('[data-set-lang="en"]');
      // The switch shows the English heading and hides the Japanese one.
      expect(await page.locator('#what-if h2 [lang="en"]').isVisible()).toBe(true);
      expect(await page.locator('#what-if h2 [lang="ja"]').isVisible()).toBe(false);
      expect(await page.locator('#what-if h2 [lang="en"]').textContent()).toContain('What-if');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 300_000);

  it('4 shards merged give exactly the single run', async () => {
    // In-process (no CLI start per shard); each shard brings its own embedded stack, as on a CI matrix.
    const { runPopulation } = await import('../../harness/population/run.js');
    const { mergeResults } = await import('../../harness/population/results.js');
    const { loadRelease } = await import('../../harness/scenario/index.js');
    const { DEFAULT_PARAMS } = await import('../../harness/population/params.js');
    const release = await loadRelease('latest');
    const params = { ...DEFAULT_PARAMS, phones: 800, days: 4, dailyIncidence: 0.03, seed: 5 };
    const common = {
      params,
      release,
      nowEpochSeconds: Math.floor(Date.parse(NOW) / 1000),
      alpha: 0.01,
      command: 'test',
      ichirenVersion: 'test',
    };
    const one = await runPopulation(common);
    const shards = [];
    for (const index of [0, 1, 2, 3])
      shards.push(await runPopulation({ ...common, shard: { index, count: 4 } }));
    const merged = mergeResults(shards, 0.01);
    expect(merged.metadata.shardsMerged).toBe(4);
    expect(merged.counts.cohorts).toEqual(one.counts.cohorts);
    expect(merged.counts.days).toEqual(one.counts.days);
    expect(merged.counts.meetingsSimulated).toBe(one.counts.meetingsSimulated);
    expect(merged.counts.sightings).toBe(one.counts.sightings);
    expect(merged.summary).toEqual(one.summary);
    // Not vacuous: there were close contacts, some notified, and each shard saw only its part.
    expect(one.summary.platforms.ios.sensitivity.trials).toBeGreaterThan(10);
    expect(one.summary.platforms.ios.sensitivity.successes).toBeGreaterThan(0);
    expect(Math.max(...shards.map((s) => s.counts.meetingsSimulated))).toBeLessThan(
      one.counts.meetingsSimulated,
    );
  }, 300_000);

  it('merge refuses a shard set with a gap, naming it', async () => {
    const file = path.join(dir, 'lonely.json');
    const lonely = {
      runs: [{ params: {}, metadata: { release: 'latest', firstDay: 'x', shard: { index: 1, count: 2 } } }],
    };
    await writeFile(file, JSON.stringify(lonely));
    const m = await execa('node', ['bin/ichiren.js', 'population', 'merge', file], {
      cwd: root,
      reject: false,
    });
    expect(m.exitCode).toBe(2);
    expect(m.stderr).toMatch(/need shards 0\.\.1 once each, got 1/);
  }, 120_000);
});
