/**
 * One clock for the whole stack (architecture.md "Time"): during a run with `--now`, the reference
 * server (its Date header), the HER-SYS stub (GET /control/clock) and the phones read the same time,
 * on the embedded server and on the server as its own process (moved by PUT /api/admin/clock), also
 * after a cell with steps after now has moved the clock on.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { RunnerDeps } from '../../harness/runner/deps.js';
import { runPlan } from '../../harness/runner/run-plan.js';
import { realDeps, startStack } from '../../harness/runner/wiring.js';
import { compilePlan } from '../../harness/scenario/compile.js';
import { parseScenarios } from '../../harness/scenario/loader.js';
import { loadRelease } from '../../harness/scenario/release.js';

// A stack per target (the process target starts a server process: seconds on a busy machine).
vi.setConfig({ testTimeout: 180_000 });

const SAME_DAY = fileURLToPath(new URL('../../scenarios/same-day-keys.yaml', import.meta.url));
const RUN_NOW = Date.parse('2026-11-20T05:30:00Z') / 1000;

interface Reading {
  readonly phonesBefore: number;
  readonly server: number;
  readonly hersys: number;
  readonly phonesAfter: number;
}

/** Each part's clock at every publish, read over HTTP between two readings of the phones' clock. */
function readingClocks(deps: RunnerDeps, readings: Reading[]): RunnerDeps {
  const now = deps.now as () => number;
  const reading =
    <T>(cdnUrlBase: string, publish: () => Promise<T>) =>
    async (): Promise<T> => {
      const phonesBefore = now();
      const res = await fetch(`${cdnUrlBase}c19r/440/list.json`);
      await res.arrayBuffer();
      const server = Date.parse(res.headers.get('date') ?? '') / 1000;
      const hersys = Math.floor(Date.parse((await deps.hersys.clock()).now) / 1000);
      readings.push({ phonesBefore, server, hersys, phonesAfter: now() });
      return publish();
    };
  const cell = deps.stack.cell;
  return {
    ...deps,
    stack: {
      ...deps.stack,
      publish: reading(deps.stack.server.cdnUrlBase, () => deps.stack.publish()),
      // Each cell publishes on a server of its own (isolated cells): read the clocks there too.
      ...(cell
        ? {
            cell: (name: string) => {
              const own = cell(name);
              return { ...own, publish: reading(own.server.cdnUrlBase, () => own.publish()) };
            },
          }
        : {}),
    },
  };
}

describe('one clock: server, HER-SYS and phones read the same time during a --now run', () => {
  it.each(['embedded', 'process'] as const)('on the %s target', async (target) => {
    const release = await loadRelease('latest');
    // A scenario at now and one that moves the clock on (publish at now +10m).
    const plan = compilePlan(parseScenarios(SAME_DAY, await readFile(SAME_DAY, 'utf8')), {
      release,
      seed: 5,
      nowEpochSeconds: RUN_NOW,
      grep: /^(live-key-withheld-then-exported|days-since-onset-edges)\[android/,
    });
    const stack = await startStack({
      target,
      nowMs: RUN_NOW * 1000,
      hersys: { seed: 5 },
      ...(release.server.behaviour ? { serverBehaviour: release.server.behaviour } : {}),
    });
    const readings: Reading[] = [];
    try {
      // The run's clock starts at --now for every part, before anything moves it.
      expect(Math.abs(stack.clock.now() / 1000 - RUN_NOW)).toBeLessThan(60);
      const deps = await realDeps(stack);
      try {
        const result = await runPlan(plan, readingClocks(deps, readings), {
          workers: 2,
          stepTimeoutMs: 60_000,
          metadata: {
            ichirenVersion: 'test',
            seed: 5,
            release: release.name,
            target: { kind: target, detail: 'test' },
            apps: release.apps,
            node: process.version,
            platform: process.platform,
            command: 'test',
          },
        });
        expect(result.status).toBe('passed');
      } finally {
        await deps.dispose?.();
      }
    } finally {
      await stack.stop();
    }
    // Every publish: one in each of the 4 days-since-onset cells, two in the live-key cell.
    expect(readings.length).toBe(6);
    for (const r of readings) {
      expect(r.server).toBeGreaterThanOrEqual(r.phonesBefore);
      expect(r.server).toBeLessThanOrEqual(r.phonesAfter);
      expect(r.hersys).toBeGreaterThanOrEqual(r.phonesBefore);
      expect(r.hersys).toBeLessThanOrEqual(r.phonesAfter);
    }
    // The clock moved forward to the scenarios' now, and further for the steps after now.
    expect(Math.min(...readings.map((r) => r.phonesBefore))).toBeGreaterThanOrEqual(plan.nowEpochSeconds);
    expect(Math.max(...readings.map((r) => r.phonesBefore))).toBeGreaterThanOrEqual(
      plan.nowEpochSeconds + 2 * 86_400 + 600,
    );
  });
});
