import { describe, expect, it } from 'vitest';
import type { RiskCalculationConfiguration, RiskCondition } from './config.js';
import { assessRisk, holds, riskText } from './risk-calculation.js';

const NOP: RiskCondition = { op: 'NOP', value: 0 };
const config = (over: Partial<RiskCalculationConfiguration>): RiskCalculationConfiguration => ({
  formatVersion: 1,
  scoreSum: NOP,
  weightedDurationAverage: NOP,
  secondsSinceLastScanSum: NOP,
  typicalAttenuationDbMax: NOP,
  typicalAttenuationDbMin: NOP,
  ...over,
});
const scans = [
  { typicalAttenuationDb: 40, secondsSinceLastScan: 300 },
  { typicalAttenuationDb: 70, secondsSinceLastScan: 100 },
];

describe('holds (COCOA Threshold.Cond)', () => {
  it.each([
    ['NOP', 5, 1, true],
    ['=', 5, 5, true],
    ['=', 5, 6, false],
    ['>', 5, 5, false],
    ['>', 5, 6, true],
    ['>=', 5, 5, true],
    ['<', 5, 5, false],
    ['<', 5, 4, true],
    ['<=', 5, 5, true],
    ['<=', 5, 6, false],
  ] as const)('%s %d against %d → %s', (op, value, x, expected) => {
    expect(holds({ op, value }, x)).toBe(expected);
  });
});

describe('assessRisk', () => {
  it('is Low when every condition is NOP, whatever the day', () => {
    const a = assessRisk({ scoreSum: 1e6, weightedDurationSum: 1e6 }, scans, config({}));
    expect([a.level, a.allNop, riskText(a)]).toEqual(['Low', true, 'all conditions NOP → Low']);
  });

  it('ANDs the conditions over the day and its scan instances', () => {
    const day = { scoreSum: 1400, weightedDurationSum: 200 };
    const c = config({
      scoreSum: { op: '>=', value: 1350 },
      secondsSinceLastScanSum: { op: '>=', value: 400 },
      typicalAttenuationDbMax: { op: '<=', value: 70 },
      typicalAttenuationDbMin: { op: '=', value: 40 },
      weightedDurationAverage: { op: '=', value: 0.5 },
    });
    const a = assessRisk(day, scans, c);
    expect(a.values).toEqual({
      scoreSum: 1400,
      weightedDurationAverage: 0.5,
      secondsSinceLastScanSum: 400,
      typicalAttenuationDbMax: 70,
      typicalAttenuationDbMin: 40,
    });
    expect(a.level).toBe('High');
    const b = assessRisk(day, scans, { ...c, secondsSinceLastScanSum: { op: '>=', value: 900 } });
    expect(b.level).toBe('Low');
    expect(riskText(b)).toContain('SecondsSinceLastScanSum 400 >= 900 ✗');
  });

  it('takes 0 for the scan-instance measures of a day without scan instances', () => {
    const a = assessRisk(
      { scoreSum: 10, weightedDurationSum: 99 },
      [],
      config({ scoreSum: { op: '>', value: 0 } }),
    );
    expect(a.values.weightedDurationAverage).toBe(0);
    expect(a.values.typicalAttenuationDbMax).toBe(0);
    expect(a.level).toBe('High');
  });
});
