/**
 * One observation: the tagged scenario set, for each chosen release, against one target — the same
 * stack, phones, runner and judging as `ichiren run` — plus what could be seen of the server's
 * identity. A stack that does not start or a server that cannot be reached is recorded as an
 * observation with status `error` (an environment problem, never a broken link).
 */
import os from 'node:os';
import type { RunResult } from '../runner/results.js';
import type { LoadedScenario } from '../scenario/loader.js';
import type { Plan } from '../scenario/plan.js';
import type { Release } from '../scenario/release.js';
import type { PublishStep, StackOptions } from '../stack/options.js';
import type { StartedStack } from '../stack/types.js';
import { probeIdentity } from './identity.js';
import { phoneOutcomes } from './outcomes.js';
import type { ObservedRun, PhoneOutcome, Platform } from './types.js';

export type TargetKind = 'embedded' | 'process' | 'container' | 'url';

/** Where and how to observe (the CLI's options, validated). */
export interface TargetOptions {
  readonly target?: TargetKind;
  readonly serverUrl?: string;
  readonly serverCommand?: string;
  readonly serverImage?: string;
  readonly verificationKey?: string;
  readonly apiSecret?: string;
  readonly publish?: PublishStep;
  readonly hersys?: { readonly host?: string; readonly port?: number };
  readonly versionUrl?: string;
  /** embedded: where the reference server's database comes from (default: a new in-memory one). */
  readonly serverDatabase?: StackOptions['serverDatabase'];
}

export interface ObserveOptions extends TargetOptions {
  /** Scenario files or folders (default `scenarios`). */
  readonly paths: readonly string[];
  /** Scenarios carrying this tag form the set (default `observation`); empty string = all. */
  readonly tag: string;
  readonly releases: readonly string[];
  readonly app?: string;
  readonly platforms: readonly Platform[];
  readonly seed: number;
  readonly workers: number;
  readonly stepTimeoutMs: number;
  readonly observer?: string;
  /** The observer's clock: when the observation is recorded (tests inject a fake one). */
  readonly clock?: () => Date;
  readonly signal?: AbortSignal;
  /** Called with the started stack before the run (dry-run records requests through it). */
  readonly onStack?: (stack: StartedStack) => void;
}

export const OBSERVATION_TAG = 'observation';
export const DEFAULT_RELEASES = ['latest', 'cocoa-1.2.2'] as const;

export interface Observation {
  readonly run: ObservedRun;
  readonly outcomes: readonly PhoneOutcome[];
}

/** The tagged scenarios, loaded once per observation however many releases it covers. */
export type ObservationSet = Promise<readonly LoadedScenario[]>;

/**
 * Reads and validates the scenario files that mention the tag and keeps the scenarios carrying it;
 * throws ScenarioErrors on bad input in those files.
 */
export async function loadObservationSet(options: Pick<ObserveOptions, 'paths' | 'tag'>): ObservationSet {
  const { loadScenarios } = await import('../scenario/index.js');
  const all = await loadScenarios(
    options.paths.length > 0 ? options.paths : ['scenarios'],
    options.tag ? { mentioning: options.tag } : {},
  );
  return options.tag ? all.filter((s) => s.tags.includes(options.tag)) : all;
}

/** Compiles the tagged set for a release; throws ScenarioErrors on bad input. */
export async function observationPlan(
  options: Pick<ObserveOptions, 'paths' | 'tag' | 'app' | 'platforms' | 'seed'>,
  releaseName: string,
  nowEpochSeconds: number,
  set: ObservationSet = loadObservationSet(options),
  /** A deployed server's clock (url target): the scenarios' now as it stands (scenario/anchor.ts). */
  deployed = false,
): Promise<{ plan: Plan; release: Release }> {
  set.catch(() => undefined); // awaited below, once the release is loaded
  const { compilePlan, loadRelease } = await import('../scenario/index.js');
  const release = await loadRelease(releaseName);
  const compiled = compilePlan(await set, {
    release,
    seed: options.seed,
    nowEpochSeconds,
    ...(deployed ? { fixedClock: true } : {}),
    ...(options.app ? { app: options.app } : {}),
    platforms: [...options.platforms],
  });
  const { selectApplicable } = await import('../runner/applicability.js');
  const { loadAppBuild } = await import('../devices/apps/index.js');
  const { plan } = await selectApplicable(compiled, loadAppBuild, deployed ? [] : undefined);
  return { plan, release };
}

/** The stack options `ichiren run` would use for this release and target. */
export function stackOptionsFor(release: Release, o: TargetOptions, seed: number) {
  const implied = o.serverUrl ? 'url' : o.serverImage ? 'container' : o.serverCommand ? 'process' : undefined;
  const target = (o.target ?? implied ?? release.server.target) as TargetKind;
  const serverUrl = o.serverUrl ?? release.server.url;
  const serverCommand = o.serverCommand ?? release.server.command;
  const serverImage = o.serverImage ?? release.server.image;
  return {
    target,
    // Behaviour and configuration set belong to the reference server, never to a deployed one.
    ...(target !== 'url' && release.server.behaviour ? { serverBehaviour: release.server.behaviour } : {}),
    ...(target !== 'url' && release.server.configurationSet
      ? { configurationSet: release.server.configurationSet }
      : {}),
    ...(serverUrl ? { serverUrl } : {}),
    ...(serverCommand ? { serverCommand } : {}),
    ...(serverImage ? { serverImage } : {}),
    ...(o.verificationKey ? { verificationKey: o.verificationKey } : {}),
    ...(o.apiSecret ? { apiSecret: o.apiSecret } : {}),
    ...(o.publish ? { publish: o.publish } : {}),
    ...(target === 'embedded' && o.serverDatabase ? { serverDatabase: o.serverDatabase } : {}),
    hersys: { seed, ...(o.hersys ?? {}) },
  };
}

function targetDetail(options: ReturnType<typeof stackOptionsFor>): string {
  const o = options as {
    serverUrl?: string;
    serverCommand?: string;
    serverImage?: string;
    serverBehaviour?: string;
  };
  if (options.target === 'embedded') return `reference server (${o.serverBehaviour ?? 'default'})`;
  return o.serverUrl ?? o.serverCommand ?? o.serverImage ?? options.target;
}

/**
 * The seed of one observation: the chosen seed mixed with the observation's time, so every observation
 * broadcasts keys no phone ever broadcast before (a key server exports a key once; a replayed key
 * would also be indistinguishable from a real one on a real server). Verdicts do not depend on it:
 * the observation set scripts its radio exactly.
 */
export const observationSeed = (seed: number, at: Date): number =>
  (Math.imul(seed ^ 0x5bd1e995, 0x01000193) ^ Math.floor(at.getTime() / 1000)) >>> 0;

const scriptsServerFaults = (plan: Plan): boolean =>
  plan.scenarios.some((s) => s.cells.some((c) => c.steps.some((step) => step.kind === 'server-fault')));

/** Runs the set for one release against the target; never throws for an environment problem. */
export async function observeRelease(
  options: ObserveOptions,
  releaseName: string,
  set: ObservationSet = loadObservationSet(options),
): Promise<Observation> {
  const clock = options.clock ?? (() => new Date());
  const observedAt = clock();
  const started = performance.now();
  options = { ...options, seed: observationSeed(options.seed, observedAt) };
  const first = await observationPlan(options, releaseName, Math.floor(Date.now() / 1000), set);
  const { release } = first;
  let { plan } = first;
  const stackOptions = stackOptionsFor(release, options, options.seed);
  const apps = {
    android: options.app ?? release.apps.android,
    ios: options.app ?? release.apps.ios,
  };
  const base = {
    observedAt,
    observer: options.observer ?? os.hostname(),
    release: release.name,
    apps,
    target: { kind: stackOptions.target, detail: targetDetail(stackOptions) },
  };
  const failed = (error: unknown): Observation => ({
    run: {
      ...base,
      status: 'error',
      error: error instanceof Error ? error.message : String(error),
      durationMs: performance.now() - started,
      identity: { serverVersion: null, configHash: null, batchNumbers: [] },
    },
    outcomes: [],
  });
  // A deployed server keeps its own clock: the phones run on it, from its Date header (stack/clock.ts).
  if (stackOptions.target === 'url' && stackOptions.serverUrl) {
    try {
      const { serverDate } = await import('../stack/clock.js');
      const serverNow = Math.floor(
        (await serverDate(`${stackOptions.serverUrl.replace(/\/$/, '')}/`)) / 1000,
      );
      ({ plan } = await observationPlan(options, releaseName, serverNow, set, true));
    } catch (e) {
      return failed(e);
    }
  }
  if (plan.scenarios.length === 0)
    return failed(new Error(`no scenario tagged "${options.tag}" applies to release ${release.name}`));

  const { realDeps } = await import('../runner/wiring.js');
  const { startStack } = await import('../stack/index.js');
  const { runPlan } = await import('../runner/run-plan.js');
  let stack: StartedStack;
  try {
    stack = await startStack(stackOptions);
  } catch (e) {
    return failed(e);
  }
  let deps: import('../runner/deps.js').RunnerDeps | undefined;
  let proxy: import('../faults/server-proxy.js').FaultProxy | undefined;
  try {
    options.onStack?.(stack);
    // Only cells that script server faults go through the fault proxy (execute-cell.ts); the
    // observation set has none, and the proxy is another Fastify to load and start.
    if (scriptsServerFaults(plan))
      proxy = await (await import('../faults/server-proxy.js')).startFaultProxy();
    // An observation speaks to the server as deployed, at its own paths: no isolated cells (the
    // observation set has one cell per platform, and no scenario there requires isolated-server).
    const { cell: _cells, ...deployed } = stack;
    deps = {
      ...(await realDeps(deployed)),
      ...(proxy ? { serverFaults: proxy } : {}),
    };
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as {
      version: string;
    };
    const result: RunResult = await runPlan(plan, deps, {
      workers: options.workers,
      stepTimeoutMs: options.stepTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      metadata: {
        ichirenVersion: pkg.version,
        seed: options.seed,
        release: release.name,
        target: base.target as RunResult['metadata']['target'],
        ...('serverBehaviour' in stackOptions ? { serverBehaviour: stackOptions.serverBehaviour } : {}),
        apps,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        command: `ichiren watch --release ${release.name}`,
      },
    });
    const identity = await probeIdentity(
      stack.server,
      options.versionUrl ? { versionUrl: options.versionUrl } : {},
    );
    return {
      run: { ...base, status: result.status, durationMs: performance.now() - started, identity, result },
      outcomes: phoneOutcomes(result),
    };
  } catch (e) {
    return failed(e);
  } finally {
    await deps?.dispose?.().catch(() => undefined);
    await proxy?.close().catch(() => undefined);
    await stack.stop().catch(() => undefined);
  }
}

/**
 * One observation: every release, side by side (each its own stack and HER-SYS stub); one after the
 * other when the stub must listen on a fixed port (a deployed server is configured with it).
 */
export async function observe(options: ObserveOptions): Promise<Observation[]> {
  const set = loadObservationSet(options);
  // Embedded servers share one in-memory PGlite, a schema each: one PGlite start, not one per release.
  const { sharedDatabase } = await import('../../server/database/shared.js');
  const shared = options.serverDatabase ? undefined : sharedDatabase();
  const each: ObserveOptions = shared ? { ...options, serverDatabase: () => shared.lease() } : options;
  try {
    if (options.hersys?.port === undefined || options.hersys.port === 0)
      return await Promise.all(options.releases.map((r) => observeRelease(each, r, set)));
    const out: Observation[] = [];
    for (const r of options.releases) {
      if (options.signal?.aborted) break;
      out.push(await observeRelease(each, r, set));
    }
    return out;
  } finally {
    await shared?.close().catch(() => undefined);
  }
}
