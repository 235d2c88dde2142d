import { describe, expect, it } from 'vitest';
import type { RunResult } from '../runner/results.js';
import { phoneOutcomes } from './outcomes.js';
import { runResult } from './testing.js';

describe('phoneOutcomes', () => {
  it("judges each receiving phone on its own chain, with the phone's platform (not the cell's)", () => {
    const out = phoneOutcomes(runResult({ android: 'score', ios: null }));
    expect(out.map((o) => [o.platform, o.passed, o.firstBrokenLink])).toEqual([
      ['android', false, 'score'],
      ['ios', true, null],
    ]);
  });

  it('charges a failed cell without a broken chain (an error, a deadline) to every phone in it', () => {
    const base = runResult({ android: null, ios: null });
    const cell = base.scenarios[0]?.cells[0];
    const errored: RunResult = {
      ...base,
      scenarios: [
        {
          ...(base.scenarios[0] as RunResult['scenarios'][number]),
          cells: [{ ...(cell as NonNullable<typeof cell>), status: 'error', errors: ['step deadline'] }],
        },
      ],
    };
    expect(phoneOutcomes(errored).map((o) => o.passed)).toEqual([false, false]);
  });
});
