/**
 * One population run against one release: the stack up (the release's reference-server behaviour and
 * configuration set, or a vendor server), the chain run, the stack down on every path; then the
 * counts summarised. `comparePopulations` runs the same population under two releases.
 */
import type { Release } from '../scenario/release.js';
import type { StartedStack } from '../stack/types.js';
import { runPopulationChain } from './chain.js';
import { populationClock } from './clock.js';
import type { PopulationExpectation } from './expectations.js';
import type { PopulationParams } from './params.js';
import { type PopulationResult, summarize } from './results.js';
import {
  DEFAULT_MARGIN,
  type Proportion,
  type Resolution,
  resolve,
  type TwoProportionTest,
  twoProportionTest,
} from './stats.js';

export interface PopulationTarget {
  readonly serverCommand?: string;
  readonly serverImage?: string;
}

export interface PopulationRunOptions {
  readonly params: PopulationParams;
  readonly release: Release;
  readonly target?: PopulationTarget;
  readonly nowEpochSeconds: number;
  readonly alpha: number;
  /** Smallest difference a run must resolve before "no difference" passes (stats.ts resolve). */
  readonly margin?: number;
  readonly expectations?: readonly PopulationExpectation[];
  readonly shard?: { readonly index: number; readonly count: number };
  /** The what-if over the threshold, whole dB (sweep.ts). */
  readonly sweepThresholdDb?: readonly [number, number];
  readonly command: string;
  readonly ichirenVersion: string;
  readonly onDay?: (day: number, line: string) => void;
  /** Aborts between days (Ctrl-C); the stack is stopped either way. */
  readonly signal?: AbortSignal;
}

export async function runPopulation(o: PopulationRunOptions): Promise<PopulationResult> {
  const started = Date.now();
  const { startStack } = await import('../runner/wiring.js');
  const { HerSysControlClient } = await import('../../stubs/hersys/index.js');
  const targetKind = o.target?.serverImage ? 'container' : o.target?.serverCommand ? 'process' : 'embedded';
  const stack: StartedStack = await startStack({
    target: targetKind,
    ...(o.release.server.behaviour ? { serverBehaviour: o.release.server.behaviour } : {}),
    ...(o.release.server.configurationSet ? { configurationSet: o.release.server.configurationSet } : {}),
    ...(o.target?.serverCommand ? { serverCommand: o.target.serverCommand } : {}),
    ...(o.target?.serverImage ? { serverImage: o.target.serverImage } : {}),
    hersys: { seed: o.params.seed },
  });
  try {
    const hersys = new HerSysControlClient(
      stack.hersys.controlUrl ?? stack.hersys.url,
      stack.hersys.controlToken,
    );
    const counts = await runPopulationChain({
      params: o.params,
      apps: o.release.apps,
      stack,
      hersys,
      nowEpochSeconds: o.nowEpochSeconds,
      ...(o.shard ? { shard: o.shard } : {}),
      ...(o.sweepThresholdDb ? { sweepThresholdDb: o.sweepThresholdDb } : {}),
      onDay: (day, line) => {
        if (o.signal?.aborted) throw new Error('interrupted');
        o.onDay?.(day, line);
      },
    });
    const clock = populationClock(o.params.days, o.nowEpochSeconds);
    return {
      schemaVersion: 1,
      kind: 'population',
      metadata: {
        ichirenVersion: o.ichirenVersion,
        release: o.release.name,
        apps: o.release.apps,
        target:
          targetKind === 'embedded'
            ? `reference server (${o.release.server.behaviour ?? 'default'})`
            : (o.target?.serverImage ?? o.target?.serverCommand ?? targetKind),
        seed: o.params.seed,
        now: new Date(o.nowEpochSeconds * 1000).toISOString(),
        firstDay: clock.date(0),
        lastDay: clock.date(o.params.days - 1),
        ...(o.shard ? { shard: o.shard } : {}),
        ...(o.sweepThresholdDb ? { sweepThresholdDb: o.sweepThresholdDb } : {}),
        durationMs: Date.now() - started,
        command: o.command,
      },
      params: o.params,
      counts,
      summary: summarize(counts, {
        alpha: o.alpha,
        margin: o.margin ?? DEFAULT_MARGIN,
        expectations: o.expectations ?? [],
      }),
    };
  } finally {
    await stack.stop();
  }
}

/** One rate under two releases: the test, and what it resolved. */
export interface RateChange {
  readonly base: Proportion;
  readonly other: Proportion;
  readonly test: TwoProportionTest;
  /** 'differ': changed; 'same': no change where the run could see one of the margin; else inconclusive. */
  readonly verdict: Resolution;
}

export interface PlatformComparison {
  readonly sensitivity: RateChange;
  readonly falseAlarms: RateChange;
}

export interface PopulationComparison {
  readonly base: string;
  readonly other: string;
  readonly margin: number;
  readonly android: PlatformComparison;
  readonly ios: PlatformComparison;
}

/**
 * The same population (same seed, same meetings) under two releases: per platform, did sensitivity
 * and the false-alarm rate change? The test treats the runs as independent samples; the runs share
 * their contacts, so it is conservative.
 */
export function comparePopulations(
  base: PopulationResult,
  other: PopulationResult,
  alpha: number,
  margin = DEFAULT_MARGIN,
): PopulationComparison {
  const change = (a: Proportion, b: Proportion): RateChange => {
    const test = twoProportionTest(a, b, alpha);
    return { base: a, other: b, test, verdict: resolve(test, margin) };
  };
  const side = (p: 'android' | 'ios'): PlatformComparison => {
    const a = base.summary.platforms[p];
    const b = other.summary.platforms[p];
    return {
      sensitivity: change(a.sensitivity, b.sensitivity),
      falseAlarms: change(a.falseAlarms, b.falseAlarms),
    };
  };
  return {
    base: base.metadata.release,
    other: other.metadata.release,
    margin,
    android: side('android'),
    ios: side('ios'),
  };
}
