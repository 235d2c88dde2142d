import { describe, expect, it } from 'vitest';
import type { AuditResult, MutantOutcome } from './audit.js';
import { inShard, mergeAudits, parseShard } from './shards.js';

const mutant = (id: string, status: MutantOutcome['status'], expected = 'score'): MutantOutcome => ({
  id,
  class: 'c',
  where: 'server',
  story: 's',
  expected,
  status,
  namedLinks: [],
  failedCells: [],
  namedExpected: false,
  closest: [],
  durationMs: 1,
});

const part = (mutants: MutantOutcome[], failedCells: string[]): AuditResult => ({
  schemaVersion: 1,
  kind: 'audit',
  metadata: {
    ichirenVersion: '0',
    seed: 1,
    release: 'latest',
    target: { kind: 'embedded', detail: 'd' },
    apps: { android: 'a', ios: 'i' },
    node: 'v20',
    platform: 'linux-x64',
    command: 'ichiren audit',
    cells: 10,
    durationMs: 5,
  },
  baseline: { passed: 10 - failedCells.length, failed: failedCells.length, failedCells },
  mutants,
  score: { caught: 0, total: 0, rate: 0 },
  controlSurvived: false,
});

describe('audit shards', () => {
  it('reads k/n and refuses what is not a shard', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, count: 2 });
    expect(parseShard('2/2')).toBeUndefined();
    expect(parseShard('0/0')).toBeUndefined();
    expect(parseShard('a/2')).toBeUndefined();
  });

  it('deals every defect to exactly one shard', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const shards = [0, 1].map((index) => inShard(ids, { index, count: 2 }));
    expect(shards).toEqual([
      ['a', 'c', 'e'],
      ['b', 'd'],
    ]);
  });

  it("merges in catalog order, scores over all shards and keeps every shard's failing baseline cells", () => {
    const merged = mergeAudits(
      [
        part([mutant('x', 'caught'), mutant('control', 'survived', 'none')], ['cell-1']),
        part([mutant('y', 'survived')], ['cell-2']),
      ],
      ['y', 'x', 'control'],
      42,
    );
    expect(merged.mutants.map((m) => m.id)).toEqual(['y', 'x', 'control']);
    expect(merged.score).toMatchObject({ caught: 1, total: 2, rate: 0.5 });
    expect(merged.controlSurvived).toBe(true);
    expect(merged.baseline).toEqual({ passed: 8, failed: 2, failedCells: ['cell-1', 'cell-2'] });
    expect(merged.metadata.durationMs).toBe(42);
  });
});
