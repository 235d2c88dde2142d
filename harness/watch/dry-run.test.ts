/** The dry run rehearses locally and lists what the observation sends to the target, with counts. */
import { describe, expect, it } from 'vitest';
import { dryRun, formatDryRun } from './dry-run.js';

describe('watch --dry-run', () => {
  it('lists the uploads, downloads and export batch trigger of one observation, and the stub calls apart', async () => {
    const report = await dryRun({
      paths: ['scenarios'],
      tag: 'observation',
      releases: ['latest'],
      platforms: ['android', 'ios'],
      seed: 1,
      workers: 2,
      stepTimeoutMs: 15_000,
      serverUrl: 'https://staging.example.jp',
      publish: { url: 'https://staging.example.jp/batch' },
    });
    const remote = report.requests.filter((r) => !r.local);
    // One upload per sending platform, through /v3/diagnosis (latest = COCOA 2.0), carrying simulated keys.
    expect(remote.find((r) => r.method === 'PUT')).toMatchObject({ path: '<api>/v3/diagnosis', count: 2 });
    expect(remote.find((r) => r.method === 'PUT')?.keys).toBeGreaterThan(0);
    expect(remote.some((r) => r.method === 'GET' && r.path === '<cdn>/c19r/440/list.json')).toBe(true);
    expect(remote.some((r) => r.path === '<cdn>/c19r/440/{batch}.zip')).toBe(true);
    expect(report.requests.some((r) => r.local && r.path.startsWith('<HER-SYS stub>'))).toBe(true);
    const text = formatDryRun(report);
    expect(text).toContain('One observation against url https://staging.example.jp');
    expect(text).toContain('export batch: POST https://staging.example.jp/batch');
  }, 120_000);
});
