/**
 * A missing piece of ichiren's own environment is an error of the run, never a chain verdict: with
 * the browser forcibly unavailable the run stops before its first cell, in one line, exit 1.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-env-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('ichiren run without its browser', () => {
  it('exits 1 with one line naming the browser and the fix, and reports no cell', async () => {
    const reportDir = path.join(dir, 'reports');
    const r = await execa('node', ['bin/ichiren.js', 'run', 'scenarios', '--report-dir', reportDir], {
      cwd: root,
      reject: false,
      timeout: 120_000,
      env: { ICHIREN_CHROMIUM: '/nonexistent' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^ichiren: Chromium not found: ICHIREN_CHROMIUM=\/nonexistent .*unset it/),
    ]);
    expect(r.stdout).not.toMatch(/broken at|✘/);
    await expect(readdir(reportDir)).rejects.toThrow(); // no cell ran, so nothing to report
  }, 120_000);

  it('runs without a browser when no cell and no reporter needs one', async () => {
    const reportDir = path.join(dir, 'no-browser');
    const r = await execa(
      'node',
      [
        'bin/ichiren.js',
        'run',
        'scenarios',
        '--grep',
        'regression-1.1.4-receiver',
        '--reporter',
        'json',
        '--report-dir',
        reportDir,
      ],
      { cwd: root, reject: false, timeout: 120_000, env: { ICHIREN_CHROMIUM: '/nonexistent' } },
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(await readFile(path.join(reportDir, 'results.json'), 'utf8'));
    expect(result.metadata.browser).toBeUndefined();
  }, 120_000);
});
