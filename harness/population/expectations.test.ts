import { describe, expect, it } from 'vitest';
import {
  expectationsFromFlags,
  judgeBound,
  judgeExpectations,
  PopulationExpectationError,
  parseBound,
  parseExpectationsYaml,
} from './expectations.js';
import { proportion } from './stats.js';

describe('population expectations', () => {
  it('a bound holds only when the whole exact interval satisfies it', () => {
    const atLeast = parseBound('>= 0.8');
    expect(atLeast).toEqual({ op: '>=', value: 0.8 });
    if (!atLeast) return;
    expect(judgeBound(atLeast, proportion(950, 1000, 0.01))).toBe('holds');
    expect(judgeBound(atLeast, proportion(0, 500, 0.01))).toBe('fails');
    // 8 of 10: the interval reaches well below 0.8 and above it.
    expect(judgeBound(atLeast, proportion(8, 10, 0.01))).toBe('inconclusive');
    expect(judgeBound(atLeast, proportion(0, 0, 0.01))).toBe('inconclusive');
    const atMost = parseBound('<= 0.3');
    if (!atMost) return;
    expect(judgeBound(atMost, proportion(470, 1000, 0.01))).toBe('fails');
    expect(judgeBound(atMost, proportion(100, 1000, 0.01))).toBe('holds');
  });

  it('rejects a bound that is not a rate comparison, naming the flag', () => {
    expect(parseBound('>= 1.5')).toBeNull();
    expect(() => expectationsFromFlags({ sensitivity: '80 %' })).toThrow(/--expect-sensitivity .*"80 %"/);
    expect(expectationsFromFlags({ falseAlarm: '< 0.3' }).map((e) => e.platform)).toEqual(['android', 'ios']);
  });

  it('reads a YAML file with shared and per-platform bounds', () => {
    const es = parseExpectationsYaml(
      'sensitivity: ">= 0.8"\nfalse-alarm:\n  android: "<= 0.3"\n  ios: "< 0.25"\n',
      'x.yaml',
    );
    expect(es).toEqual([
      { rate: 'sensitivity', platform: 'android', bound: { op: '>=', value: 0.8 } },
      { rate: 'sensitivity', platform: 'ios', bound: { op: '>=', value: 0.8 } },
      { rate: 'falseAlarm', platform: 'android', bound: { op: '<=', value: 0.3 } },
      { rate: 'falseAlarm', platform: 'ios', bound: { op: '<', value: 0.25 } },
    ]);
  });

  it('names the file, line and field of a bad YAML entry', () => {
    const bad = (text: string) => () => parseExpectationsYaml(text, 'exp.yaml');
    expect(bad('sensitivity: ">= 0.8"\nfalse-alarm:\n  windows: "<= 0.3"\n')).toThrow(
      /exp\.yaml:3: false-alarm\.windows must be android or ios/,
    );
    expect(bad('sensitivity: high\n')).toThrow(/exp\.yaml:1: sensitivity must be a bound/);
    expect(bad('recall: ">= 0.8"\n')).toThrow(PopulationExpectationError);
  });

  it('judges each platform on its own rate', () => {
    const judged = judgeExpectations(expectationsFromFlags({ sensitivity: '>= 0.5' }), {
      android: { sensitivity: proportion(0, 300, 0.01), falseAlarm: proportion(0, 10, 0.01) },
      ios: { sensitivity: proportion(290, 300, 0.01), falseAlarm: proportion(0, 10, 0.01) },
    });
    expect(judged.map((j) => `${j.platform} ${j.verdict}`)).toEqual(['android fails', 'ios holds']);
  });
});
