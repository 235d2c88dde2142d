import { describe, expect, it } from 'vitest';
import { differentialPower, rejectionProbability } from '../runner/statistics.js';
import { sizeAutoTrials, statisticalTests } from './auto-trials.js';
import type { PlannedCell, PlannedExpectation, PlannedScenario } from './plan.js';

const expectation = (phone: string, platform: 'android' | 'ios'): PlannedExpectation => ({
  phone,
  notified: 'any',
  platform,
  app: 'cocoa-x',
  osVersion: '11',
});

/** One planned trial per sender platform, each with an Android and an iPhone receiver (as mixed-receivers). */
function mixedReceivers(gap: number): PlannedScenario {
  const cells = (['android', 'ios'] as const).map(
    (sender) =>
      ({
        id: `m[${sender}]#1`,
        scenarioId: 'm',
        matrix: { sender },
        seed: 1,
        platform: 'android',
        app: 'cocoa-x',
        phones: [],
        steps: [],
        expectations: [expectation('droid', 'android'), expectation('iphone', 'ios')],
        exclusive: false,
        trial: { index: 1, of: 1, baseId: `m[${sender}]` },
      }) satisfies PlannedCell,
  );
  return {
    id: 'm',
    file: 'm.yaml',
    title: { ja: 'm', en: 'm' },
    purpose: { ja: 'm', en: 'm' },
    tags: [],
    requires: [],
    cells,
    statistics: {
      trials: 1,
      interval: 'clopper-pearson',
      gap,
      rates: [
        { phone: 'droid', bound: '>= 0.9' },
        { phone: 'iphone', bound: '>= 0.9' },
      ],
      differential: 'platform',
    },
  } as PlannedScenario;
}

describe('trials: auto', () => {
  it('counts the tests a scenario adds to the family: each rate per platform × app, and the differential', () => {
    expect(statisticalTests(mixedReceivers(0.7))).toBe(3);
  });

  it('sizes for 95 % power counting every receiver a trial adds, at 1 % over the family', () => {
    const [s] = sizeAutoTrials([mixedReceivers(0.7)], 7, () => 1);
    const n = s?.statistics?.trials as number;
    const level = 0.01 / 3;
    expect(s?.statistics?.auto).toEqual({ level, tests: 3 });
    // Two cells per trial: each platform's group holds 2n receivers.
    const holds = (m: number) =>
      rejectionProbability({ op: '>=', value: 0.9 }, 2 * m, level, 0.2) >= 0.95 &&
      differentialPower(2 * m, 2 * m, 0.9, 0.2, level) >= 0.95;
    expect(holds(n)).toBe(true);
    expect(holds(n - 1)).toBe(false);
    expect(s?.cells.map((c) => c.id)).toEqual([
      ...Array.from({ length: n }, (_, i) => `m[android]#${i + 1}`),
      ...Array.from({ length: n }, (_, i) => `m[ios]#${i + 1}`),
    ]);
  });

  it('names the scenario when no number of trials has the power', () => {
    expect(() => sizeAutoTrials([mixedReceivers(0.01)], 7, () => 12)).toThrow(
      /m\.yaml:12:1: m trials: auto: .*detects/,
    );
  });
});
