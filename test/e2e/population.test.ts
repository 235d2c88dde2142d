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
      '--sweep-threshold',
      '58..66',
      '--report-dir',
      reportDir,
    ]);
    expect(r.exitCode, r.stderr).toBe(1); // the 1.1.4 run's differential fails
    expect(r.stdout).toMatch(/what-if: cocoa-1\.2\.2 → cocoa-1\.1\.4/);
    expect(r.stdout).toMatch(/Android and iOS differ ✘/);
    // The ground truth and each build's threshold side by side: 1.2.2 at 63 dB, 1.1.4 Android never.
    expect(r.stdout).toMatch(/close contact \(ground truth\): ≤ 1 m for ≥ 15 min/);
    expect(r.stdout).toMatch(/Android +\S+ cocoa-1\.2\.2 EN v1 +≤ 63 dB \(≈ 3\.1 m\)/);
    expect(r.stdout).toMatch(/Android +\S+ cocoa-1\.1\.4 EN v1 +never notifies/);
    // Both rates are compared per platform.
    expect(r.stdout).toMatch(/Android\n +sensitivity .*: changed\n +false alarms /);
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
    // Equal platforms at this size: no difference found, but never a pass the run cannot back.
    expect(latest.summary.differential.verdict).not.toBe('differ');
    expect(latest.counts.thresholds.find((t) => t.platform === 'android')?.attenuationDb).toBe(63);
    // The what-if curve: more phones notified as the threshold rises, close and non-close alike.
    const curve = (latest.counts.sweep ?? []).filter((x) => x.platform === 'ios');
    expect(curve.map((x) => x.thresholdDb)).toEqual([58, 59, 60, 61, 62, 63, 64, 65, 66]);
    for (let i = 1; i < curve.length; i++) {
      expect(curve[i].notifiedClose).toBeGreaterThanOrEqual(curve[i - 1].notifiedClose);
      expect(curve[i].falseAlarms).toBeGreaterThanOrEqual(curve[i - 1].falseAlarms);
    }
    expect(curve[curve.length - 1].falseAlarms).toBeGreaterThan(curve[0].falseAlarms);
    const android = defect.summary.platforms.android;
    expect(android.sensitivity.successes).toBe(0);
    const lost = android.lostAt;
    const lostTotal = Object.values(lost).reduce((a, b) => a + b, 0);
    // Every Android close contact that got as far as the score was lost there.
    expect(lost.score).toBeGreaterThan(0);
    expect(lost.match + lost.notify).toBe(0);
    expect(lostTotal).toBe(android.sensitivity.trials);
    expect(defect.summary.platforms.ios.sensitivity).toEqual(latest.summary.platforms.ios.sensitivity);
    expect(defect.summary.differential.verdict).toBe('differ');
    expect(comparison?.android.sensitivity.verdict).toBe('differ');
    expect(comparison?.ios.sensitivity.test.indistinguishable).toBe(true);
    expect(comparison?.ios.sensitivity.verdict).not.toBe('same'); // iOS unchanged, but n is small

    // The page, in Chromium: both runs, the failed differential, no console errors.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(path.join(reportDir, 'population.html')).href);
      expect(await page.locator('[data-differential="differ"]').count()).toBe(1);
      expect(
        await page.locator('[data-differential="same"], [data-differential="inconclusive"]').count(),
      ).toBe(1);
      expect(await page.locator('#what-if').textContent()).toContain('cocoa-1.1.4');
      expect(await page.locator('[data-change="android-false alarms"]').count()).toBe(1);
      expect(await page.locator('table.thresholds tr.truth').count()).toBe(2);
      // Two runs × (days, funnel, sweep) × (ja, en).
      expect(await page.locator('figure.chart svg').count()).toBe(12);
      expect(await page.locator('.sweep svg').count()).toBe(4);
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

  it('judges both rates against expectations on their exact intervals, exit 1 when one is not shown', async () => {
    const reportDir = path.join(dir, 'expect');
    const r = await population([
      ...SIZE,
      '--release',
      'cocoa-1.2.2',
      '--expect-sensitivity',
      '>= 0',
      '--expect-false-alarm',
      '<= 0.01',
      '--report-dir',
      reportDir,
    ]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/Android +sensitivity >= 0: .* ✔/);
    expect(r.stdout).toMatch(/iOS +false alarms <= 0\.01: .* ✘/);
    const [run] = (await report(reportDir)).runs;
    expect(run.summary.expectations.map((e) => `${e.platform} ${e.rate} ${e.verdict}`)).toEqual([
      'android sensitivity holds',
      'ios sensitivity holds',
      'android falseAlarm fails',
      'ios falseAlarm fails',
    ]);
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
      sweepThresholdDb: [60, 64] as const,
      expectations: [{ rate: 'sensitivity', platform: 'ios', bound: { op: '>=', value: 0.5 } }] as const,
      command: 'test',
      ichirenVersion: 'test',
    };
    const one = await runPopulation(common);
    const shards = [];
    for (const index of [0, 1, 2, 3])
      shards.push(await runPopulation({ ...common, shard: { index, count: 4 } }));
    const merged = mergeResults(shards);
    expect(merged.metadata.shardsMerged).toBe(4);
    expect(merged.counts.cohorts).toEqual(one.counts.cohorts);
    expect(merged.counts.days).toEqual(one.counts.days);
    expect(merged.counts.meetingsSimulated).toBe(one.counts.meetingsSimulated);
    expect(merged.counts.sightings).toBe(one.counts.sightings);
    expect(merged.counts.sweep).toEqual(one.counts.sweep);
    expect(merged.counts.thresholds).toEqual(one.counts.thresholds);
    expect(merged.summary).toEqual(one.summary);
    expect(merged.summary.expectations).toHaveLength(1);

    // The same through the CLI, as the workflow's merge job calls it: merge's own options apply.
    const files = [];
    for (const [i, shard] of shards.entries()) {
      files.push(path.join(dir, `shard-${i}.json`));
      await writeFile(files[i], JSON.stringify({ schemaVersion: 1, kind: 'population', runs: [shard] }));
    }
    const reportDir = path.join(dir, 'merged');
    const m = await execa(
      'node',
      [
        'bin/ichiren.js',
        'population',
        'merge',
        ...files,
        '--report-dir',
        reportDir,
        '--expect-false-alarm',
        '<= 0',
      ],
      { cwd: root, reject: false },
    );
    expect(m.exitCode, m.stderr).toBe(1); // false alarms > 0 break "<= 0"
    const [cli] = (await report(reportDir)).runs;
    expect(cli.counts.cohorts).toEqual(one.counts.cohorts);
    expect(cli.summary.expectations.map((e) => `${e.rate} ${e.verdict}`)).toEqual([
      'falseAlarm fails',
      'falseAlarm fails',
    ]);
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
