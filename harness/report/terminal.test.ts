import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  sampleAndroidBrokenRun,
  sampleInterruptedRun,
  samplePassingRun,
  sampleSweepRun,
} from './fixtures/index.js';
import { formatCellLine, formatSummary, formatSummaryTable, terminalReporter } from './terminal.js';

const brokenAndroidCell = sampleAndroidBrokenRun.scenarios[0].cells.find((c) => c.platform === 'android')!;
const iosCell = sampleAndroidBrokenRun.scenarios[0].cells.find((c) => c.platform === 'ios')!;

describe('terminal reporter', () => {
  it('prints one progress line per cell with mark, id, platform, app, broken link and duration', () => {
    expect(formatCellLine(brokenAndroidCell)).toBe(
      '✘ close-contact-1m-30min[android,cocoa-1.1.4]  android  cocoa-1.1.4  broken at score  (612 ms)',
    );
    expect(formatCellLine(iosCell)).toBe(
      '✔ close-contact-1m-30min[ios,cocoa-1.1.4]  ios  cocoa-1.1.4  (659 ms)',
    );
  });

  it('names a cell that errored without a broken link by its status', () => {
    expect(formatCellLine({ ...iosCell, status: 'timedout', durationMs: 30_000 })).toMatch(
      /^✘ .* timedout {2}\(30\.0 s\)$/,
    );
  });

  it('tabulates scenarios against Android and iOS', () => {
    const lines = formatSummaryTable(sampleAndroidBrokenRun).split('\n');
    expect(lines[0]).toMatch(/^scenario\s+android\s+ios$/);
    expect(lines[2]).toMatch(/^close-contact-1m-30min\s+✘ 0\/1 score\s+✔ 1\/1$/);
    expect(lines).toHaveLength(2 + sampleAndroidBrokenRun.scenarios.length);
    expect(formatSummaryTable(sampleSweepRun)).toMatch(/policy-sweep\s+✘ 16\/20 score\s+✔ 20\/20/);
  });

  it('ends with the chain of each failure and one verdict line per platform', () => {
    const text = formatSummary(sampleAndroidBrokenRun);
    expect(text).toContain(
      'contact ✔ → diagnosis ✔ → upload ✔ → publish ✔ → download ✔ → match ✔ → score ✘ → notify –',
    );
    expect(text).toContain('score: highest risk 0 < minimum 21');
    expect(text).toContain(
      'Notifications reach Android ✘ (cocoa-1.1.4)  —  通知がAndroidに届く ✘（cocoa-1.1.4）',
    );
    expect(text).toContain('Notifications reach iOS ✔ (cocoa-1.1.4)');
    expect(text).toContain('run status: failed');
    const passing = formatSummary(samplePassingRun);
    expect(passing).not.toContain('Failures:');
    expect(passing).toContain('Notifications reach Android ✔ (cocoa-1.2.2)');
  });

  it('writes progress as cells finish and the summary at the end', async () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (c) => {
      out += String(c);
    });
    const r = terminalReporter({ stream });
    r.onBegin?.({ scenarios: 1, cells: 2 });
    r.onCellEnd?.({ id: 'close-contact-1m-30min', title: { ja: '', en: '' } }, brokenAndroidCell);
    expect(out).toContain('ichiren: 1 scenarios, 2 cells\n✘ close-contact');
    await r.onEnd(sampleAndroidBrokenRun);
    expect(out).toContain('3 scenarios, 6 cells: 5 passed, 1 failed');
  });

  it('says "not finished" instead of ✘ for an interrupted run and counts the cells not run', () => {
    const out = formatSummary(sampleInterruptedRun);
    expect(out).toContain(
      'Notifications reach Android: not finished (cocoa-1.2.2)  —  通知がAndroidに届くか 未完了（cocoa-1.2.2）',
    );
    expect(out).not.toMatch(/Notifications reach .*✘/);
    expect(out).toContain('4 cell(s) not run: the run was interrupted: far-contact-5m-5min[');
    expect(out).toMatch(/run status: interrupted\n$/);
  });
});
