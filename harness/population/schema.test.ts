import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { POPULATION_SCHEMA_FILE, populationSchemaText } from './generate-schema.js';
import { DEFAULT_PARAMS } from './params.js';
import { emptyLost, mergeResults, type PopulationResult, summarize } from './results.js';

const committed = JSON.parse(readFileSync(POPULATION_SCHEMA_FILE, 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(committed);

function sample(shard?: { index: number; count: number }, close = 10): PopulationResult {
  const counts = {
    phones: 100,
    positives: 4,
    uploaders: 2,
    uploadsAccepted: 2,
    uploadsRefused: 0,
    receiversInShard: 100,
    meetingsSimulated: 30,
    sightings: 900,
    exportFiles: 3,
    exportedKeys: 20,
    cohorts: [
      {
        platform: 'ios' as const,
        osVersion: '14.4',
        app: 'cocoa-1.2.2',
        path: 'v1' as const,
        closeContacts: close,
        notifiedClose: 6,
        nonCloseContacts: 5,
        falseAlarms: 1,
        lostAt: { ...emptyLost(), score: close - 6 },
      },
    ],
    days: [{ day: 1, date: '2026-11-20', platform: 'ios' as const, closeContacts: close, notified: 6 }],
    sweep: [60, 61].map((thresholdDb) => ({
      platform: 'ios' as const,
      thresholdDb,
      closeContacts: close,
      notifiedClose: thresholdDb - 55,
      nonCloseContacts: 5,
      falseAlarms: 1,
    })),
    thresholds: [
      {
        platform: 'ios' as const,
        osVersion: '14.4',
        app: 'cocoa-1.2.2',
        path: 'v1' as const,
        attenuationDb: 63,
        distanceM: 3.1,
        minutesAt1m: 13,
      },
    ],
  };
  return {
    schemaVersion: 1,
    kind: 'population',
    metadata: {
      ichirenVersion: '0',
      release: 'latest',
      apps: { android: 'cocoa-1.2.2', ios: 'cocoa-1.2.2' },
      target: 'embedded',
      seed: 1,
      now: '2026-12-01T00:00:00.000Z',
      firstDay: '2026-11-17',
      lastDay: '2026-11-30',
      ...(shard ? { shard } : {}),
      durationMs: 1,
      sweepThresholdDb: [60, 61],
      command: 'ichiren population',
    },
    params: { ...DEFAULT_PARAMS, phones: 100 },
    counts,
    summary: summarize(counts, {
      alpha: 0.01,
      expectations: [{ rate: 'sensitivity', platform: 'ios', bound: { op: '>=', value: 0.9 } }],
    }),
  };
}

describe('population.schema.json', () => {
  it('is what the zod schema generates (run generate-schema.ts after changing it)', () => {
    expect(readFileSync(POPULATION_SCHEMA_FILE, 'utf8')).toBe(populationSchemaText());
  });

  it('accepts a report and rejects one with an unknown field or a missing count', () => {
    const report = { schemaVersion: 1, kind: 'population', runs: [sample()] };
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const extra = structuredClone(report) as unknown as { runs: Record<string, unknown>[] };
    extra.runs[0].surprise = 1;
    expect(validate(extra)).toBe(false);
    const missing = structuredClone(report) as unknown as { runs: { counts: Record<string, unknown> }[] };
    delete missing.runs[0].counts.sightings;
    expect(validate(missing)).toBe(false);
  });

  it('merging shards adds counts and derives the rates again', () => {
    const merged = mergeResults([sample({ index: 0, count: 2 }, 10), sample({ index: 1, count: 2 }, 20)], {
      alpha: 0.01,
    });
    expect(merged.counts.cohorts[0].closeContacts).toBe(30);
    expect(merged.counts.cohorts[0].lostAt.score).toBe(4 + 14);
    expect(merged.summary.platforms.ios.sensitivity.successes).toBe(12);
    expect(merged.summary.platforms.ios.sensitivity.trials).toBe(30);
    expect(merged.counts.sweep?.map((x) => [x.thresholdDb, x.notifiedClose, x.closeContacts])).toEqual([
      [60, 10, 30],
      [61, 12, 30],
    ]);
    expect(merged.counts.thresholds).toHaveLength(1);
    // The shards' expectation is judged again on the merged rate: 12 of 30 cannot be ≥ 0.9.
    expect(merged.summary.expectations.map((e) => [e.proportion.trials, e.verdict])).toEqual([[30, 'fails']]);
    expect(validate({ schemaVersion: 1, kind: 'population', runs: [merged] })).toBe(true);
  });
});
