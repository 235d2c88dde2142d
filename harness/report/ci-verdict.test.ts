import { describe, expect, it } from 'vitest';
import { ciVerdict } from './ci-verdict.js';
import { sampleAndroidBrokenRun, samplePassingRun } from './fixtures/index.js';

describe('ciVerdict', () => {
  it('outputs which platforms the notification reaches', () => {
    expect(ciVerdict(sampleAndroidBrokenRun).outputs).toBe('reaches-android=false\nreaches-ios=true\n');
    expect(ciVerdict(samplePassingRun).outputs).toBe('reaches-android=true\nreaches-ios=true\n');
  });

  it('summarises the verdict and each failed cell with its broken link', () => {
    const { summary } = ciVerdict(sampleAndroidBrokenRun);
    expect(summary).toContain('### ichiren cocoa-1.1.4: failed');
    expect(summary).toContain(
      '- ✘ notifications reach android (cocoa-1.1.4): 2 receiving phone(s) held, 1 did not',
    );
    expect(summary).toContain(
      '`close-contact-1m-30min[android,cocoa-1.1.4]`: android-receiver (android) score broke: highest risk 0 < minimum 21',
    );
    expect(ciVerdict(samplePassingRun).summary).not.toContain('broke');
  });

  it('does not claim a platform is reached when the run has no verdict for it', () => {
    const run = { ...samplePassingRun, summary: { ...samplePassingRun.summary, verdict: [] } };
    expect(ciVerdict(run).outputs).toBe('reaches-android=false\nreaches-ios=false\n');
  });
});
