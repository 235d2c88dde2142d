/**
 * A population run as data: raw counts (which shards add up exactly) and the statistics derived from
 * them (rates with exact intervals, the platform differential, the expectations). `merge` sums
 * shards' counts and derives again, so 4 shards merged are the single run.
 */
import type { Platform } from '../devices/types.js';
import { type JudgedExpectation, judgeExpectations, type PopulationExpectation } from './expectations.js';
import type { PopulationParams } from './params.js';
import {
  DEFAULT_MARGIN,
  type Proportion,
  proportion,
  type Resolution,
  resolve,
  type TwoProportionTest,
  twoProportionTest,
} from './stats.js';
import { type SweepCounts, sortSweep } from './sweep.js';
import type { EffectiveThreshold } from './threshold.js';

/** The links a close contact can be lost at, in chain order (diagnosis is every uploader's own). */
export const POPULATION_LINKS = [
  'contact',
  'upload',
  'publish',
  'download',
  'match',
  'score',
  'notify',
] as const;
export type PopulationLink = (typeof POPULATION_LINKS)[number];

/** Counts per receiving cohort: same platform, OS version, app build and EN path. */
export interface CohortCounts {
  readonly platform: Platform;
  readonly osVersion: string;
  readonly app: string;
  readonly path: 'v1' | 'v2' | 'none';
  /** Receivers who were close contacts (≤ 1 m, ≥ 15 min) of a registered positive. */
  closeContacts: number;
  notifiedClose: number;
  /** Receivers who met a registered positive, none of them closely. */
  nonCloseContacts: number;
  /** Of those, notified: false alarms. */
  falseAlarms: number;
  /** Close contacts lost at each link (the first link that did not hold for any of their senders). */
  lostAt: Record<PopulationLink, number>;
}

/** Close contacts by the day they first became one, per platform, and how many were notified in the run. */
export interface DayCounts {
  readonly day: number;
  readonly date: string;
  readonly platform: Platform;
  closeContacts: number;
  notified: number;
}

export interface PopulationCounts {
  readonly phones: number;
  readonly positives: number;
  readonly uploaders: number;
  uploadsAccepted: number;
  uploadsRefused: number;
  /** Phones in this shard that received (all phones without sharding). */
  receiversInShard: number;
  meetingsSimulated: number;
  sightings: number;
  exportFiles: number;
  exportedKeys: number;
  cohorts: CohortCounts[];
  days: DayCounts[];
  /** The what-if over the threshold, per platform and whole dB (`--sweep-threshold`). */
  sweep?: SweepCounts[];
  /** Each receiving cohort's effective threshold (threshold.ts); the same in every shard. */
  thresholds: EffectiveThreshold[];
}

export interface PlatformSummary {
  readonly sensitivity: Proportion;
  readonly falseAlarms: Proportion;
  readonly lostAt: Readonly<Record<PopulationLink, number>>;
}

export interface PopulationSummary {
  readonly alpha: number;
  /** The smallest difference a run must be able to detect before "no difference" is a pass. */
  readonly margin: number;
  readonly platforms: Readonly<Record<Platform, PlatformSummary>>;
  /**
   * Android vs iOS sensitivity: the 1.1.4 defect shows as a difference the test can tell. Passed only
   * when no difference was found and the run could have seen one of `margin` (verdict 'same').
   */
  readonly differential: TwoProportionTest & { readonly verdict: Resolution; readonly passed: boolean };
  readonly expectations: readonly JudgedExpectation[];
}

export interface SummaryOptions {
  readonly alpha: number;
  readonly margin?: number;
  readonly expectations?: readonly PopulationExpectation[];
}

export interface PopulationMetadata {
  readonly ichirenVersion: string;
  readonly release: string;
  readonly apps: Readonly<Record<Platform, string>>;
  readonly target: string;
  readonly seed: number;
  /** The run's clock (ISO); the days are placed from its UTC date. */
  readonly now: string;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly shardsMerged?: number;
  /** The what-if range over the threshold, whole dB, when the run swept it. */
  readonly sweepThresholdDb?: readonly [number, number];
  readonly durationMs: number;
  readonly command: string;
}

export interface PopulationResult {
  readonly schemaVersion: 1;
  readonly kind: 'population';
  readonly metadata: PopulationMetadata;
  readonly params: PopulationParams;
  readonly counts: PopulationCounts;
  readonly summary: PopulationSummary;
}

export const emptyLost = (): Record<PopulationLink, number> =>
  Object.fromEntries(POPULATION_LINKS.map((l) => [l, 0])) as Record<PopulationLink, number>;

export function summarize(counts: PopulationCounts, options: SummaryOptions): PopulationSummary {
  const { alpha } = options;
  const margin = options.margin ?? DEFAULT_MARGIN;
  const platform = (p: Platform): PlatformSummary => {
    const cs = counts.cohorts.filter((c) => c.platform === p);
    const sum = (f: (c: CohortCounts) => number) => cs.reduce((s, c) => s + f(c), 0);
    const lostAt = emptyLost();
    for (const c of cs) for (const l of POPULATION_LINKS) lostAt[l] += c.lostAt[l];
    return {
      sensitivity: proportion(
        sum((c) => c.notifiedClose),
        sum((c) => c.closeContacts),
        alpha,
      ),
      falseAlarms: proportion(
        sum((c) => c.falseAlarms),
        sum((c) => c.nonCloseContacts),
        alpha,
      ),
      lostAt,
    };
  };
  const android = platform('android');
  const ios = platform('ios');
  const test = twoProportionTest(android.sensitivity, ios.sensitivity, alpha);
  const verdict = resolve(test, margin);
  const rates = (p: PlatformSummary) => ({ sensitivity: p.sensitivity, falseAlarm: p.falseAlarms });
  return {
    alpha,
    margin,
    platforms: { android, ios },
    differential: { ...test, verdict, passed: verdict === 'same' },
    expectations: judgeExpectations(options.expectations ?? [], {
      android: rates(android),
      ios: rates(ios),
    }),
  };
}

/** The expectations a result was judged against, without their judgement. */
export const expectationsOf = (r: PopulationResult): PopulationExpectation[] =>
  r.summary.expectations.map(({ rate, platform, bound }) => ({ rate, platform, bound }));

/** A run's verdict for the exit code: a platform differential or an expectation not shown. */
export function runFailed(r: PopulationResult): boolean {
  return (
    r.summary.differential.verdict === 'differ' || r.summary.expectations.some((e) => e.verdict !== 'holds')
  );
}

/** The four counts both rates are made of. */
type RateCounts = Pick<CohortCounts, 'closeContacts' | 'notifiedClose' | 'nonCloseContacts' | 'falseAlarms'>;
const NO_RATES: RateCounts = { closeContacts: 0, notifiedClose: 0, nonCloseContacts: 0, falseAlarms: 0 };
function addRates(into: RateCounts, from: RateCounts): void {
  into.closeContacts += from.closeContacts;
  into.notifiedClose += from.notifiedClose;
  into.nonCloseContacts += from.nonCloseContacts;
  into.falseAlarms += from.falseAlarms;
}

export class PopulationMergeError extends Error {
  readonly code = 'POPULATION_MERGE_INVALID';
}

/** Sums the shards of one run (same seed, parameters, release and shard count, each index once). */
export function mergeResults(
  parts: readonly PopulationResult[],
  options: Partial<SummaryOptions> = {},
): PopulationResult {
  if (parts.length === 0) throw new PopulationMergeError('merge: no results given');
  const first = parts[0];
  const same = (what: string, f: (r: PopulationResult) => unknown) => {
    for (const r of parts)
      if (JSON.stringify(f(r)) !== JSON.stringify(f(first)))
        throw new PopulationMergeError(
          `merge: the results differ in ${what}; they are not shards of one run`,
        );
  };
  same('parameters', (r) => r.params);
  same('release', (r) => r.metadata.release);
  same('first day', (r) => r.metadata.firstDay);
  same('shard count', (r) => r.metadata.shard?.count ?? 1);
  same('threshold sweep', (r) => r.metadata.sweepThresholdDb ?? null);
  const indices = parts.map((r) => r.metadata.shard?.index ?? 0).sort((a, b) => a - b);
  const count = first.metadata.shard?.count ?? 1;
  if (indices.length !== count || indices.some((i, k) => i !== k))
    throw new PopulationMergeError(`merge: need shards 0..${count - 1} once each, got ${indices.join(', ')}`);

  const cohorts = new Map<string, CohortCounts>();
  const days = new Map<string, DayCounts>();
  const counts: PopulationCounts = {
    phones: first.counts.phones,
    positives: first.counts.positives,
    uploaders: first.counts.uploaders,
    // Every shard uploads every positive to its own stack: these are the same in each.
    uploadsAccepted: first.counts.uploadsAccepted,
    uploadsRefused: first.counts.uploadsRefused,
    exportFiles: first.counts.exportFiles,
    exportedKeys: first.counts.exportedKeys,
    receiversInShard: 0,
    meetingsSimulated: 0,
    sightings: 0,
    cohorts: [],
    days: [],
    thresholds: [],
  };
  const sweep = new Map<string, SweepCounts>();
  const thresholds = new Map<string, EffectiveThreshold>();
  for (const r of parts) {
    counts.receiversInShard += r.counts.receiversInShard;
    counts.meetingsSimulated += r.counts.meetingsSimulated;
    counts.sightings += r.counts.sightings;
    for (const c of r.counts.cohorts) {
      const key = cohortKey(c);
      const into = cohorts.get(key) ?? { ...c, lostAt: emptyLost(), ...NO_RATES };
      addRates(into, c);
      for (const l of POPULATION_LINKS) into.lostAt[l] += c.lostAt[l];
      cohorts.set(key, into);
    }
    for (const t of r.counts.thresholds) thresholds.set(cohortKey(t), t);
    for (const s of r.counts.sweep ?? []) {
      const key = `${s.platform}|${s.thresholdDb}`;
      const into = sweep.get(key) ?? { ...s, ...NO_RATES };
      addRates(into, s);
      sweep.set(key, into);
    }
    for (const d of r.counts.days) {
      const key = `${d.day}|${d.platform}`;
      const into = days.get(key) ?? { ...d, closeContacts: 0, notified: 0 };
      into.closeContacts += d.closeContacts;
      into.notified += d.notified;
      days.set(key, into);
    }
  }
  counts.cohorts = sortCohorts([...cohorts.values()]);
  counts.days = sortDays([...days.values()]);
  counts.thresholds = sortCohorts([...thresholds.values()]);
  if (first.counts.sweep) counts.sweep = sortSweep([...sweep.values()]);
  const { shard: _shard, ...metadata } = first.metadata;
  return {
    ...first,
    metadata: {
      ...metadata,
      shardsMerged: parts.length,
      durationMs: Math.max(...parts.map((r) => r.metadata.durationMs)),
    },
    counts,
    summary: summarize(counts, {
      alpha: options.alpha ?? first.summary.alpha,
      margin: options.margin ?? first.summary.margin,
      expectations: options.expectations ?? expectationsOf(first),
    }),
  };
}

export const cohortKey = (c: Pick<CohortCounts, 'platform' | 'osVersion' | 'app' | 'path'>) =>
  `${c.platform}|${c.osVersion}|${c.app}|${c.path}`;

export const sortCohorts = <T extends Pick<CohortCounts, 'platform' | 'osVersion' | 'app' | 'path'>>(
  cs: T[],
) => cs.sort((a, b) => cohortKey(a).localeCompare(cohortKey(b)));
export const sortDays = (ds: DayCounts[]) =>
  ds.sort((a, b) => a.day - b.day || a.platform.localeCompare(b.platform));
