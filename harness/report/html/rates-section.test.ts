import { describe, expect, it } from 'vitest';
import type { RateResult, ScenarioResult } from '../../runner/results.js';
import { ratesBlock } from './rates-section.js';

const group = (platform: 'android' | 'ios', notified: number, low: number, high: number) => ({
  platform,
  app: 'cocoa-1.1.4',
  phones: [platform === 'android' ? 'droid' : 'iphone'],
  notified,
  trials: 20,
  rate: notified / 20,
  low,
  high,
  stoppedAt: (notified === 0 ? { score: 20 } : {}) as Record<string, number>,
});
const diff: RateResult = {
  kind: 'differential',
  expectation: 'android = ios',
  interval: 'wilson',
  alpha: 0.05,
  groups: [group('android', 0, 0, 0.161), group('ios', 20, 0.839, 1)],
  test: 'fisher-exact',
  pValue: 2.5e-10,
  adjustedP: 5e-10,
  detectableGap: 0.4,
  passed: false,
  text: { ja: 'OS 間で差がある', en: 'the platforms differ' },
};
const scenario = (rates?: RateResult[]) =>
  ({ id: 's', cells: [], ...(rates ? { rates } : {}) }) as unknown as ScenarioResult;

describe('rates block', () => {
  it('draws the rates with their intervals in both languages and lists the judgements', () => {
    const html = ratesBlock(scenario([diff]));
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).toContain('data-passed="false"');
    expect(html).toContain('the platforms differ');
    expect(html).toContain('95% intervals (wilson)');
  });

  it('is empty for a scenario without trials', () => {
    expect(ratesBlock(scenario())).toBe('');
  });
});
