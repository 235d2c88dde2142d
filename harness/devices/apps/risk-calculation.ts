/**
 * COCOA 2.x's risk level of one day (`Services/ExposureRiskCalculationService.CalcRiskLevel` and
 * `Threshold.Cond`, cocoa-mhlw/cocoa @ 19bb8407): all conditions NOP → Low; otherwise High when every
 * condition holds (AND) on the day's ScoreSum, WeightedDurationSum / ΣSecondsSinceLastScan, and the
 * sum, maximum and minimum over the scan instances of that day's windows (0 when there are none).
 */
import type { ExposureSummaryData, ScanInstance } from '../framework/index.js';
import {
  RISK_MEMBERS,
  type RiskCalculationConfiguration,
  type RiskCondition,
  type RiskMeasure,
} from './config.js';

export type RiskLevel = 'High' | 'Low';

export type RiskValues = Readonly<Record<RiskMeasure, number>>;

export interface RiskAssessment {
  readonly level: RiskLevel;
  readonly values: RiskValues;
  /** Conditions that are not NOP, each with its value and whether it held, in member order. */
  readonly conditions: readonly { measure: RiskMeasure; condition: RiskCondition; held: boolean }[];
  readonly allNop: boolean;
}

/** `Threshold.Cond(x)`: the operator compares the measured x with the configured value. */
export function holds(c: RiskCondition, x: number): boolean {
  switch (c.op) {
    case 'NOP':
      return true;
    case '=':
      return x === c.value;
    case '>':
      return x > c.value;
    case '>=':
      return x >= c.value;
    case '<':
      return x < c.value;
    case '<=':
      return x <= c.value;
  }
}

export function riskValues(
  day: Pick<ExposureSummaryData, 'scoreSum' | 'weightedDurationSum'>,
  scans: readonly Pick<ScanInstance, 'typicalAttenuationDb' | 'secondsSinceLastScan'>[],
): RiskValues {
  const seconds = scans.reduce((s, i) => s + i.secondsSinceLastScan, 0);
  const typical = scans.map((i) => i.typicalAttenuationDb);
  return {
    scoreSum: day.scoreSum,
    weightedDurationAverage: seconds > 0 ? day.weightedDurationSum / seconds : 0,
    secondsSinceLastScanSum: seconds,
    typicalAttenuationDbMax: typical.length > 0 ? Math.max(...typical) : 0,
    typicalAttenuationDbMin: typical.length > 0 ? Math.min(...typical) : 0,
  };
}

export function assessRisk(
  day: Pick<ExposureSummaryData, 'scoreSum' | 'weightedDurationSum'>,
  scans: readonly Pick<ScanInstance, 'typicalAttenuationDb' | 'secondsSinceLastScan'>[],
  config: RiskCalculationConfiguration,
): RiskAssessment {
  const values = riskValues(day, scans);
  const measures = Object.keys(RISK_MEMBERS) as RiskMeasure[];
  const conditions = measures
    .filter((m) => config[m].op !== 'NOP')
    .map((m) => ({ measure: m, condition: config[m], held: holds(config[m], values[m]) }));
  const allNop = conditions.length === 0;
  return {
    level: !allNop && conditions.every((c) => c.held) ? 'High' : 'Low',
    values,
    conditions,
    allNop,
  };
}

/** "ScoreSum 1400 ≥ 1350 ✓, SecondsSinceLastScanSum 600 ≥ 900 ✗" (member names as COCOA's file spells them). */
export function riskText(a: RiskAssessment): string {
  if (a.allNop) return 'all conditions NOP → Low';
  return a.conditions
    .map(
      (c) =>
        `${SHORT[c.measure]} ${round(a.values[c.measure])} ${c.condition.op} ${c.condition.value} ${c.held ? '✓' : '✗'}`,
    )
    .join(', ');
}

/** The last part of each member name, as COCOA's logs and the issue tracker call the conditions. */
const SHORT: Readonly<Record<RiskMeasure, string>> = {
  scoreSum: 'ScoreSum',
  weightedDurationAverage: 'WeightedDurationAverage',
  secondsSinceLastScanSum: 'SecondsSinceLastScanSum',
  typicalAttenuationDbMax: 'TypicalAttenuationDb_Max',
  typicalAttenuationDbMin: 'TypicalAttenuationDb_Min',
};

const round = (x: number): number => Math.round(x * 100) / 100;
