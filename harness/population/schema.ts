/**
 * population.json as a zod schema: the source of `population.schema.json` (JSON Schema 2020-12) for
 * tools outside ichiren. The type checks at the bottom fail to compile when it drifts from results.ts.
 */
import { z } from 'zod';
import type { PopulationLink, PopulationResult } from './results.js';
import type { PopulationComparison } from './run.js';

const platform = z.enum(['android', 'ios']);
const range = z.tuple([z.number(), z.number()]);
const n = () => z.number().int();
const lostAt = z.strictObject({
  contact: n(),
  upload: n(),
  publish: n(),
  download: n(),
  match: n(),
  score: n(),
  notify: n(),
});
const proportion = z.strictObject({
  successes: z.number().int(),
  trials: z.number().int(),
  rate: z.number().nullable(),
  interval: range.nullable().describe('Clopper–Pearson (exact) interval at 1 − alpha.'),
});
const test = z.strictObject({
  z: z.number(),
  pValue: z.number(),
  alpha: z.number(),
  indistinguishable: z.boolean(),
  detectableDifference: z
    .number()
    .nullable()
    .describe('Smallest difference from the first rate detectable at alpha (two-sided) with 80 % power.'),
});
const resolution = z.enum(['differ', 'same', 'inconclusive']);
const bound = z.strictObject({ op: z.enum(['>=', '>', '<=', '<']), value: z.number() });
const expectation = z.strictObject({
  rate: z.enum(['sensitivity', 'falseAlarm']),
  platform,
  bound,
  proportion,
  verdict: z.enum(['holds', 'fails', 'inconclusive']),
});
const sweepCounts = z.strictObject({
  platform,
  thresholdDb: z.number().int(),
  closeContacts: z.number().int(),
  notifiedClose: z.number().int(),
  nonCloseContacts: z.number().int(),
  falseAlarms: z.number().int(),
});
const threshold = z.strictObject({
  platform,
  osVersion: z.string(),
  app: z.string(),
  path: z.enum(['v1', 'v2']),
  attenuationDb: z
    .number()
    .nullable()
    .describe('Largest attenuation a 30-minute contact notifies at; null: never; 100: no limit.'),
  distanceM: z.number().nullable().describe('Mean indoor distance of that attenuation (radio fit).'),
  minutesAt1m: z.number().nullable(),
});
const setting = z.strictObject({
  environment: z.enum(['open-air', 'office', 'home', 'restaurant', 'train', 'bus']),
  dailyShare: z.number(),
  groupSize: range,
  distanceM: range,
  durationMin: range,
  hourJst: range,
  fixed: z.boolean(),
});

const platformSummary = z.strictObject({ sensitivity: proportion, falseAlarms: proportion, lostAt });

const run = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('population'),
  metadata: z.strictObject({
    ichirenVersion: z.string(),
    release: z.string(),
    apps: z.strictObject({ android: z.string(), ios: z.string() }),
    target: z.string(),
    seed: z.number().int(),
    now: z.string(),
    firstDay: z.string(),
    lastDay: z.string(),
    shard: z.strictObject({ index: z.number().int(), count: z.number().int() }).optional(),
    shardsMerged: z.number().int().optional(),
    sweepThresholdDb: range.optional(),
    durationMs: z.number(),
    command: z.string(),
  }),
  params: z.strictObject({
    phones: z.number().int(),
    days: z.number().int(),
    seed: z.number().int(),
    iosShare: z.number(),
    osMix: z.array(
      z.strictObject({
        platform,
        osVersion: z.string(),
        enVersion: z.union([z.literal(1), z.literal(2)]),
        share: z.number(),
      }),
    ),
    appMix: z
      .strictObject({
        android: z.array(z.strictObject({ app: z.string(), share: z.number() })),
        ios: z.array(z.strictObject({ app: z.string(), share: z.number() })),
      })
      .optional(),
    dailyIncidence: z.number(),
    registerShare: z.number(),
    uploadDelayDays: range,
    onsetToTestDays: range,
    contacts: z.strictObject({ household: setting, workplace: setting, train: setting, restaurant: setting }),
  }),
  counts: z.strictObject({
    phones: z.number().int(),
    positives: z.number().int(),
    uploaders: z.number().int(),
    uploadsAccepted: z.number().int(),
    uploadsRefused: z.number().int(),
    receiversInShard: z.number().int(),
    meetingsSimulated: z.number().int(),
    sightings: z.number().int(),
    exportFiles: z.number().int(),
    exportedKeys: z.number().int(),
    cohorts: z.array(
      z.strictObject({
        platform,
        osVersion: z.string(),
        app: z.string(),
        path: z.enum(['v1', 'v2', 'none']),
        closeContacts: z.number().int(),
        notifiedClose: z.number().int(),
        nonCloseContacts: z.number().int(),
        falseAlarms: z.number().int(),
        lostAt,
      }),
    ),
    days: z.array(
      z.strictObject({
        day: z.number().int(),
        date: z.string(),
        platform,
        closeContacts: z.number().int(),
        notified: z.number().int(),
      }),
    ),
    sweep: z.array(sweepCounts).optional(),
    thresholds: z.array(threshold),
  }),
  summary: z.strictObject({
    alpha: z.number(),
    margin: z.number(),
    platforms: z.strictObject({ android: platformSummary, ios: platformSummary }),
    differential: test.extend({ verdict: resolution, passed: z.boolean() }),
    expectations: z.array(expectation),
  }),
});

const change = z.strictObject({ base: proportion, other: proportion, test, verdict: resolution });
const side = z.strictObject({ sensitivity: change, falseAlarms: change });
const comparison = z.strictObject({
  base: z.string(),
  other: z.string(),
  margin: z.number(),
  android: side,
  ios: side,
});

export const populationReportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('population'),
  runs: z.array(run).min(1),
  comparison: comparison.optional(),
});

export function populationJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://ichiren.invalid/population.schema.json',
    title: 'ichiren population report (reports/population.json)',
    ...z.toJSONSchema(populationReportSchema, { target: 'draft-2020-12' }),
  };
}

// Compile-time drift checks: the schema's output type and the TypeScript types must agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _links: Same<keyof z.output<typeof lostAt>, PopulationLink> = true;
void _links;
const _run: Same<z.output<typeof run>['counts'], PopulationResult['counts']> = true;
type Change = PopulationComparison['android']['falseAlarms'];
const _cmp: Same<
  Omit<z.output<typeof comparison>['android']['falseAlarms'], 'base' | 'other'>,
  Omit<Change, 'base' | 'other'>
> = true;
void _run;
void _cmp;
