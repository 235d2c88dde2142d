/** Builders for watch tests: a RunResult with chosen per-phone outcomes. */
import { type CellResult, CHAIN_LINKS, type LinkResult, type RunResult } from '../runner/results.js';
import type { ObservedRun, Platform } from './types.js';

export function links(brokenAt: string | null): LinkResult[] {
  let broken = false;
  return CHAIN_LINKS.map((name) => {
    const status = broken ? 'skipped' : name === brokenAt ? 'failed' : 'passed';
    if (name === brokenAt) broken = true;
    const detail = status === 'failed' ? `${name} broke` : `${name} ok`;
    return { name, status, detail, text: { ja: detail, en: detail } } as LinkResult;
  });
}

/** One scenario, one cell, one receiving phone per entry of `phones` (platform → broken link or null). */
export function runResult(phones: Partial<Record<Platform, string | null>>, scenario = 'obs'): RunResult {
  const chains = Object.entries(phones).map(([platform, broken]) => ({
    phone: platform === 'android' ? 'droid' : 'iphone',
    platform: platform as Platform,
    app: 'cocoa-1.1.4',
    expectedNotified: true,
    osVersion: '11',
    sender: 'a',
    expectedBrokenLinks: [],
    notified: broken === null,
    links: links(broken ?? null),
    firstBrokenLink: (broken ?? null) as CellResult['firstBrokenLink'],
  }));
  const failed = chains.some((c) => c.firstBrokenLink);
  const cell: CellResult = {
    id: `${scenario}[mixed]`,
    matrix: {},
    platform: 'android',
    app: 'cocoa-1.1.4',
    status: failed ? 'failed' : 'passed',
    links: chains[0]?.links ?? [],
    firstBrokenLink: chains[0]?.firstBrokenLink ?? null,
    phones: chains,
    timeline: [],
    errors: [],
    durationMs: 10,
    seed: 1,
  };
  return {
    schemaVersion: 1,
    status: failed ? 'failed' : 'passed',
    metadata: {
      ichirenVersion: '0',
      startedAt: '',
      finishedAt: '',
      durationMs: 10,
      seed: 1,
      release: 'cocoa-1.1.4',
      target: { kind: 'url', detail: 'http://127.0.0.1:1' },
      apps: { android: 'cocoa-1.1.4', ios: 'cocoa-1.1.4' },
      node: '',
      platform: '',
      command: 'ichiren watch',
    },
    summary: { scenarios: 1, cells: 1, passed: failed ? 0 : 1, failed: failed ? 1 : 0, verdict: [] },
    scenarios: [
      {
        id: scenario,
        file: 'x.yaml',
        title: { ja: scenario, en: scenario },
        purpose: { ja: '', en: '' },
        tags: ['observation'],
        cells: [cell],
      },
    ],
  };
}

export function observedRun(
  result: RunResult,
  at: Date,
  observer = 'test',
  target: ObservedRun['target'] = { kind: 'url', detail: 'http://127.0.0.1:1' },
): ObservedRun {
  return {
    observedAt: at,
    observer,
    release: 'cocoa-1.1.4',
    apps: { android: 'cocoa-1.1.4', ios: 'cocoa-1.1.4' },
    target,
    status: result.status,
    durationMs: 10,
    identity: { serverVersion: null, configHash: 'abc', batchNumbers: [1, 2] },
    result,
  };
}
