import { describe, expect, it } from 'vitest';
import type { CellResult, RunResult, ScenarioResult } from '../runner/results.js';
import { summarise } from '../runner/summary.js';
import { trialChain as chain } from '../runner/testing.js';
import { applyRateVerdicts, judgeTrials } from '../runner/trials.js';
import type { PlannedStatistics } from '../scenario/plan.js';
import { platformCount } from './receivers.js';
import { formatSummaryTable } from './terminal.js';

/** Trial cells of one receiver per platform: `android` and `ios` of `n` trials notified. */
function trialCells(n: number, android: number, ios: number): CellResult[] {
  return (['android', 'ios'] as const).flatMap((platform) =>
    Array.from({ length: n }, (_, i) => ({
      id: `s[${platform}]#${i + 1}`,
      matrix: {},
      platform,
      app: 'cocoa-x',
      status: 'passed' as const,
      links: [],
      firstBrokenLink: null,
      phones: [chain('b', platform, i < (platform === 'android' ? android : ios))],
      timeline: [],
      errors: [],
      durationMs: 1,
      seed: i,
    })),
  );
}

const stats: PlannedStatistics = {
  trials: 10,
  interval: 'clopper-pearson',
  rates: [{ phone: 'b', bound: '>= 0.9' }],
};

/** The run as the runner assembles it: judged rates, and the verdict they turn. */
function judgedRun(n: number, android: number, ios: number): RunResult {
  const cells = trialCells(n, android, ios);
  const rates = judgeTrials(stats, cells);
  const scenario = { id: 's', cells, rates } as unknown as ScenarioResult;
  return {
    scenarios: [scenario],
    summary: applyRateVerdicts(summarise([scenario]), rates),
  } as unknown as RunResult;
}

describe('the summary table of a scenario over trials follows the verdict', () => {
  it('shows a contradicted rate ✘ with its notified count, though every trial cell passed', () => {
    const run = judgedRun(10, 10, 1);
    expect(run.summary.verdict.map((v) => [v.platform, v.reaches])).toEqual([
      ['android', true],
      ['ios', false],
    ]);
    expect(formatSummaryTable(run)).toMatch(/^s\s+✔ 10\/10\s+✘ 1\/10 score$/m);
  });

  it('shows a rate that holds ✔ even when some trials were not notified', () => {
    const run = judgedRun(10, 8, 10);
    expect(run.summary.verdict.every((v) => v.reaches)).toBe(true);
    expect(platformCount(run.scenarios[0] as ScenarioResult, 'android')).toEqual({
      passed: 8,
      total: 10,
      held: true,
      why: null,
    });
    expect(formatSummaryTable(run)).toMatch(/^s\s+✔ 8\/10\s+✔ 10\/10$/m);
  });
});
