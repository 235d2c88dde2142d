/**
 * One population run against one release: the stack up (the release's reference-server behaviour and
 * configuration set, or a vendor server), the chain run, the stack down on every path; then the
 * counts summarised. `comparePopulations` runs the same population under two releases.
 */
import type { Release } from '../scenario/release.js';
import type { StartedStack } from '../stack/types.js';
import { runPopulationChain } from './chain.js';
import { populationClock } from './clock.js';
import type { PopulationParams } from './params.js';
import { type PopulationResult, summarize } from './results.js';
import { type Proportion, type TwoProportionTest, twoProportionTest } from './stats.js';

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
  readonly shard?: { readonly index: number; readonly count: number };
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
        durationMs: Date.now() - started,
        command: o.command,
      },
      params: o.params,
      counts,
      summary: summarize(counts, o.alpha),
    };
  } finally {
    await stack.stop();
  }
}

export interface PlatformComparison {
  readonly base: Proportion;
  readonly other: Proportion;
  readonly test: TwoProportionTest;
}

export interface PopulationComparison {
  readonly base: string;
  readonly other: string;
  readonly android: PlatformComparison;
  readonly ios: PlatformComparison;
}

/** The same population (same seed, same meetings) under two releases: per platform, did sensitivity change? */
export function comparePopulations(
  base: PopulationResult,
  other: PopulationResult,
  alpha: number,
): PopulationComparison {
  const side = (p: 'android' | 'ios'): PlatformComparison => {
    const a = base.summary.platforms[p].sensitivity;
    const b = other.summary.platforms[p].sensitivity;
    return { base: a, other: b, test: twoProportionTest(a, b, alpha) };
  };
  return {
    base: base.metadata.release,
    other: other.metadata.release,
    android: side('android'),
    ios: side('ios'),
  };
}
