/**
 * RunResult as a zod schema: the source of `results.schema.json` (JSON Schema draft 2020-12) that
 * describes `reports/results.json` for tools outside ichiren. Keep it in step with runner/results.ts:
 * the type check at the bottom fails to compile when they drift apart. Objects are strict: a field
 * the runner adds must be added here too (and the schema regenerated), or the schema test fails.
 */
import { z } from 'zod';
import {
  type CellResult,
  CHAIN_LINKS,
  type LinkResult,
  type PhoneChain,
  type RunMetadata,
  type RunResult,
  type RunSummary,
  type ScenarioResult,
  type SweepPoint,
  type TimelineEvent,
} from '../runner/results.js';

const platform = z.enum(['android', 'ios']);
const text = z
  .strictObject({ ja: z.string(), en: z.string() })
  .describe('The same message in Japanese and English.');
const linkName = z.enum(CHAIN_LINKS);

const linkResult = z.strictObject({
  name: linkName,
  status: z.enum(['passed', 'failed', 'skipped', 'expected-failure']),
  detail: z.string().describe('One line of evidence in English, e.g. "highest risk 0 < minimum 21".'),
  text,
  evidence: z.record(z.string(), z.unknown()).optional().describe('Numbers the link was judged on.'),
  held: z
    .boolean()
    .optional()
    .describe('On a failed link: the link held, and the failure is that an expected break did not happen.'),
});

const links = z.array(linkResult).describe('The eight links in chain order.');

const phoneChain = z.strictObject({
  phone: z.string(),
  platform,
  app: z.string(),
  osVersion: z.string(),
  enPath: z
    .enum(['v1', 'v2'])
    .optional()
    .describe('The EN API its checks went through (ExposureWindows v2, or v1); absent when no check ran.'),
  sender: z.string().nullable().describe('The phone met whose chain is shown; null when it met nobody.'),
  expectedNotified: z.boolean(),
  expectedBrokenLinks: z
    .array(linkName)
    .describe('Links a negative expectation allows the chain to break at.'),
  expectedUpload: z
    .array(z.enum(['accepted', 'rejected', 'retryable']))
    .optional()
    .describe("A sender expectation: the outcomes the app was to tell the user at this phone's uploads."),
  notified: z.boolean(),
  notifications: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Notifications the phone showed over the cell, counted from what the app showed.'),
  allowedNotifications: z
    .string()
    .optional()
    .describe('What the scenario allowed: "<= n" (default: one per exposure day) or "= n".'),
  links,
  firstBrokenLink: linkName.nullable(),
});

const timelineEvent = z.strictObject({
  kind: z.enum(['encounter', 'diagnosis', 'upload', 'publish', 'check', 'fault']),
  at: z.string().describe('Simulated time, ISO 8601.'),
  label: z.string().describe('Relative to day 0, e.g. "day -5 10:00".'),
  phones: z.array(z.string()),
  detail: z.string(),
});

const cellResult = z.strictObject({
  id: z.string().describe('Stable id, e.g. "policy-1m-20min[android,cocoa-1.2.2]".'),
  matrix: z.record(z.string(), z.string()),
  platform,
  app: z.string(),
  status: z.enum(['passed', 'failed', 'error', 'timedout']),
  links,
  firstBrokenLink: linkName.nullable(),
  phones: z.array(phoneChain),
  timeline: z.array(timelineEvent),
  errors: z.array(z.string()),
  durationMs: z.number().nonnegative(),
  seed: z.number().int(),
  draws: z
    .array(z.enum(['radio', 'window-order']))
    .optional()
    .describe(
      "Draws of the seed that could move this cell's verdict: radio noise, the order of ExposureWindows. Absent: the seed moved only identities (keys, numbers).",
    ),
});

const sweepPoint = z.strictObject({
  platform,
  app: z.string(),
  distanceM: z.number().nonnegative(),
  durationMin: z.number().nonnegative(),
  notified: z.boolean(),
});

const rateGroup = z.strictObject({
  platform,
  app: z.string(),
  phones: z.array(z.string()),
  notified: z.number().int().nonnegative(),
  trials: z.number().int().nonnegative(),
  rate: z.number().min(0).max(1),
  low: z.number().min(0).max(1),
  high: z.number().min(0).max(1),
  stoppedAt: z.record(z.string(), z.number().int().nonnegative()),
});

const rateResult = z.strictObject({
  kind: z.enum(['rate', 'differential']),
  expectation: z.string(),
  interval: z.enum(['wilson', 'clopper-pearson']),
  alpha: z.number().gt(0).max(0.5).describe('α of the interval shown (0.05: 95 %); the exact test decides.'),
  groups: z.array(rateGroup),
  test: z
    .enum(['exact-binomial', 'fisher-exact'])
    .describe('One-sided exact binomial test against the bound, or two-sided Fisher exact test.'),
  pValue: z.number().min(0).max(1),
  adjustedP: z
    .number()
    .min(0)
    .max(1)
    .describe(
      "Holm-adjusted p-value across the run's statistical tests; fails when <= errorRates.familyAlpha.",
    ),
  detectableGap: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe(
      'Smallest gap from the bound (or between platforms) these trials detect with 95 % power; null: none.',
    ),
  passed: z.boolean(),
  text,
});

const errorRates = z
  .strictObject({
    familyAlpha: z.number().gt(0).max(0.5),
    correction: z.literal('holm'),
    tests: z.number().int().positive(),
    text,
  })
  .describe(
    'How the run holds its statistical tests together: a fair system fails at most familyAlpha of runs.',
  );

const scenarioResult = z.strictObject({
  id: z.string(),
  file: z.string(),
  title: text,
  purpose: text,
  tags: z.array(z.string()),
  cells: z.array(cellResult),
  sweep: z.array(sweepPoint).optional(),
  rates: z.array(rateResult).optional().describe('Rate and differential judgements over trials.'),
});

const runMetadata = z.strictObject({
  ichirenVersion: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number().nonnegative(),
  seed: z.number().int(),
  release: z.string(),
  target: z.strictObject({ kind: z.enum(['embedded', 'process', 'container', 'url']), detail: z.string() }),
  serverBehaviour: z.string().optional(),
  apps: z.strictObject({ android: z.string(), ios: z.string() }),
  node: z.string(),
  platform: z.string(),
  browser: z
    .string()
    .optional()
    .describe('The Chromium of the run (web screen, PDF): version, where it came from.'),
  command: z.string().describe('The command line that reproduces this run.'),
  clock: z
    .strictObject({
      now: z.string().describe("The run's clock at start: --now, the machine's, or a deployed server's."),
      scenarioNow: z.string().describe("The scenarios' now, to which the whole stack's clock moved."),
      source: z
        .enum(['run', 'deployed-server'])
        .describe("run: every part ran on the run's clock; deployed-server: read from its Date header."),
    })
    .optional()
    .describe('The one clock of the server, the HER-SYS stub and the phones (scenarios/README.md).'),
  notApplicable: z
    .array(z.strictObject({ cell: z.string(), app: z.string(), missing: z.array(z.string()) }))
    .optional()
    .describe('Cells left out because an app lacks a trait the scenario requires.'),
});

const runSummary = z.strictObject({
  scenarios: z.number().int().nonnegative(),
  cells: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  verdict: z.array(
    z.strictObject({
      platform,
      app: z.string(),
      reaches: z
        .boolean()
        .describe('true only if every receiving phone on this platform and app held its expectation.'),
      outcome: z
        .enum(['reaches', 'broken', 'not-finished'])
        .describe('broken: a receiving phone failed; not-finished: none failed but the run was interrupted.'),
      passed: z.number().int().nonnegative().describe('Receiving phones that held their expectation.'),
      failed: z.number().int().nonnegative(),
    }),
  ),
});

export const runResultSchema = z
  .object({
    schemaVersion: z.literal(1),
    status: z.enum(['passed', 'failed', 'timedout', 'interrupted']),
    metadata: runMetadata,
    summary: runSummary,
    scenarios: z.array(scenarioResult),
    errorRates: errorRates.optional(),
    notRun: z
      .array(
        z.strictObject({
          scenario: z.string(),
          file: z.string(),
          id: z.string(),
          platform,
          app: z.string(),
          reason: z.enum(['not-started', 'cut-short']),
        }),
      )
      .optional()
      .describe('Interrupted runs: the planned cells that did not run to their end.'),
  })
  .describe('One ichiren run: reports/results.json.');

/** The JSON Schema of results.json, as committed in results.schema.json. */
export function runResultJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(runResultSchema, { target: 'draft-2020-12' }),
    $id: 'https://ichiren.invalid/schemas/results.schema.json',
    title: 'ichiren RunResult',
  };
}

// Compile-time guards: every value the schema accepts is a RunResult, and no field of the contract
// is missing from the schema (an optional field added to results.ts fails here, not in a vendor's CI).
type Assert<T extends true> = T;
type Covers<Contract, Schema extends z.ZodType> = [Exclude<keyof Contract, keyof z.infer<Schema>>] extends [
  never,
]
  ? true
  : false;
export type _SchemaChecks = [
  Assert<z.infer<typeof runResultSchema> extends RunResult ? true : false>,
  Assert<Covers<RunResult, typeof runResultSchema>>,
  Assert<Covers<RunMetadata, typeof runMetadata>>,
  Assert<Covers<RunSummary, typeof runSummary>>,
  Assert<Covers<ScenarioResult, typeof scenarioResult>>,
  Assert<Covers<CellResult, typeof cellResult>>,
  Assert<Covers<PhoneChain, typeof phoneChain>>,
  Assert<Covers<LinkResult, typeof linkResult>>,
  Assert<Covers<TimelineEvent, typeof timelineEvent>>,
  Assert<Covers<SweepPoint, typeof sweepPoint>>,
];
