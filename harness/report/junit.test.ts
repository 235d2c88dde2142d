import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../runner/results.js';
import {
  sampleAndroidBrokenRun,
  sampleInterruptedRun,
  samplePassingRun,
  sampleSweepRun,
} from './fixtures/index.js';
import { renderJUnit } from './junit.js';

interface Case {
  '@_name': string;
  '@_time': string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
  error?: { '@_message': string };
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_time': string;
  properties: { property: { '@_name': string; '@_value': string }[] };
  testcase: Case[];
}

function parse(run: RunResult): { root: Record<string, string>; suites: Suite[] } {
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  const doc = parser.parse(renderJUnit(run));
  return { root: doc.testsuites, suites: doc.testsuites.testsuite };
}

describe('JUnit reporter', () => {
  it('has one testsuite per scenario and one testcase per cell', () => {
    for (const run of [sampleAndroidBrokenRun, samplePassingRun, sampleSweepRun]) {
      const { root, suites } = parse(run);
      expect(suites.map((s) => s['@_name'])).toEqual([...run.scenarios.map((s) => s.id), 'verdict']);
      expect(suites.map((s) => s.testcase.length)).toEqual([
        ...run.scenarios.map((s) => s.cells.length),
        run.summary.verdict.length,
      ]);
      expect(Number(root['@_tests'])).toBe(run.summary.cells + run.summary.verdict.length);
      expect(Number(root['@_failures'])).toBe(
        run.summary.failed + run.summary.verdict.filter((v) => !v.reaches).length,
      );
    }
  });

  it('names each testcase "scenario [platform, app]" and times it in seconds', () => {
    const { suites } = parse(sampleAndroidBrokenRun);
    expect(suites[0].testcase.map((c) => c['@_name'])).toEqual([
      'close-contact-1m-30min [android, cocoa-1.1.4]',
      'close-contact-1m-30min [ios, cocoa-1.1.4]',
    ]);
    expect(suites[0].testcase[0]['@_time']).toBe('0.612');
    expect(suites[0]['@_time']).toBe('1.271');
  });

  it('fails the Android cell naming the broken link and its evidence', () => {
    const { suites } = parse(sampleAndroidBrokenRun);
    const [android, ios] = suites[0].testcase;
    expect(android.failure?.['@_message']).toBe(
      'android-receiver (android, cocoa-1.1.4): score broke: highest risk 0 < minimum 21 (TRL 0 -> transmission score 1, best possible 8)',
    );
    expect(android.failure?.['@_type']).toBe('score');
    expect(android.failure?.['#text']).toContain('download: passed');
    expect(ios.failure).toBeUndefined();
    expect(suites.slice(1, -1).every((s) => s.testcase.every((c) => !c.failure))).toBe(true);
    const verdict = suites.at(-1)?.testcase.map((c) => [c['@_name'], c.failure ? '✘' : '✔']);
    expect(verdict).toEqual([
      ['Notifications reach Android (cocoa-1.1.4)', '✘'],
      ['Notifications reach iOS (cocoa-1.1.4)', '✔'],
    ]);
  });

  it('records seed and release as suite properties', () => {
    const { suites } = parse(sampleAndroidBrokenRun);
    const props = Object.fromEntries(suites[0].properties.property.map((p) => [p['@_name'], p['@_value']]));
    expect(props.seed).toBe(String(sampleAndroidBrokenRun.metadata.seed));
    expect(props.release).toBe('cocoa-1.1.4');
    expect(props.serverBehaviour).toBe('2020-09');
  });

  it('reports a timed-out cell as an error, not a failure', () => {
    const s = samplePassingRun.scenarios[0];
    const run: RunResult = {
      ...samplePassingRun,
      scenarios: [
        {
          ...s,
          cells: [{ ...s.cells[0], status: 'timedout', errors: ['step "upload" missed its 10 s deadline'] }],
        },
      ],
    };
    const { suites } = parse(run);
    expect(suites[0].testcase[0].error?.['@_message']).toBe('step "upload" missed its 10 s deadline');
  });

  it('marks the cells an interrupted run did not reach as skipped, with the reason', () => {
    const parser = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
    });
    const doc = parser.parse(renderJUnit(sampleInterruptedRun));
    const suites = doc.testsuites.testsuite as (Suite & { '@_skipped': string })[];
    // 4 cells that did not run, and both platforms' verdicts not finished.
    expect(doc.testsuites['@_tests']).toBe('8');
    expect(doc.testsuites['@_skipped']).toBe('6');
    expect(suites.map((s) => [s['@_name'], s['@_tests'], s['@_skipped']])).toEqual([
      ['close-contact-1m-30min', '2', '0'],
      ['far-contact-5m-5min', '2', '2'],
      ['upload-wrong-processing-number', '2', '2'],
      ['verdict', '2', '2'],
    ]);
    const skipped = suites[1]?.testcase.map(
      (c) => (c as unknown as { skipped: { '@_message': string } }).skipped,
    );
    expect(skipped?.[0]?.['@_message']).toMatch(
      /^not run: the run was interrupted while this cell was running/,
    );
    expect(skipped?.[1]?.['@_message']).toMatch(/before this cell started \(中断のため未実施\)$/);
    for (const s of suites.filter((x) => x['@_name'] !== 'verdict'))
      expect(s.properties.property.find((p) => p['@_name'] === 'verdict')?.['@_value']).toMatch(
        /^not finished \(未完了\)/,
      );
  });
});
