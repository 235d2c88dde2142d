import { describe, expect, it } from 'vitest';
import { splitSeeds, withoutOptions } from './seed-processes.js';

describe('seed sweep on several processes', () => {
  it('splits the seeds into contiguous ranges whose sizes differ by one at most', () => {
    const seeds = Array.from({ length: 200 }, (_, i) => i + 1);
    const ranges = splitSeeds(seeds, 3);
    expect(ranges.map((r) => [r[0], r.at(-1)])).toEqual([
      [1, 67],
      [68, 134],
      [135, 200],
    ]);
    expect(ranges.flat()).toEqual(seeds);
    // Never an empty range, never more processes than seeds.
    expect(splitSeeds([7, 8], 4)).toEqual([[7], [8]]);
  });

  it("drops the parent's own options, in both spellings, and keeps every other argument", () => {
    expect(
      withoutOptions(
        ['scenarios', '--seeds', '1..200', '--jobs=2', '--grep', 'radio', '--sweep-out', 'f', '--every-cell'],
        ['--seeds', '--jobs', '--sweep-out'],
      ),
    ).toEqual(['scenarios', '--grep', 'radio', '--every-cell']);
  });
});
