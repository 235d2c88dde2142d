/**
 * Cells that cannot see each other (server/cells.ts): every scenario of the standard library gives the
 * same per-cell statuses alone (as `--grep` its id would run it, on a stack of its own) as in the full
 * run, and the scenario with no export batch breaks at publish beside the scenarios that publish. On
 * one shared server without cells (as a deployed server is) that scenario would be judged wrongly,
 * which is why it requires an isolated server.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunnerDeps } from '../../harness/runner/deps.js';
import type { RunResult } from '../../harness/runner/results.js';
import { runPlan } from '../../harness/runner/run-plan.js';
import { realDeps, startStack } from '../../harness/runner/wiring.js';
import { compilePlan } from '../../harness/scenario/compile.js';
import type { LoadedScenario } from '../../harness/scenario/loader.js';
import { loadScenarios } from '../../harness/scenario/loader.js';
import type { Plan } from '../../harness/scenario/plan.js';
import { loadRelease, type Release } from '../../harness/scenario/release.js';
import type { StartedStack } from '../../harness/stack/types.js';
import { openReusableDatabase, type ReusableDatabase } from '../../server/database/reusable.js';

// The library once in full and once per scenario, each on a stack of its own.
vi.setConfig({ testTimeout: 900_000 });

const RUN_NOW = Date.parse('2026-11-20T15:30:00Z') / 1000;
let database: ReusableDatabase;
let release: Release;
let library: LoadedScenario[];
beforeAll(async () => {
  database = await openReusableDatabase();
  release = await loadRelease('latest');
  library = await loadScenarios(['scenarios']);
});
afterAll(() => database?.close());

const plan = (grep?: RegExp): Plan =>
  compilePlan(library, { release, seed: 1, nowEpochSeconds: RUN_NOW, ...(grep ? { grep } : {}) });

/**
 * Another cell's export batch, run on the server right after every upload (as a neighbour's batch
 * may run at any moment): the server's own, which a cell of its own never sees.
 */
function neighbourBatchAfterEveryUpload(deps: RunnerDeps): RunnerDeps {
  return {
    ...deps,
    createWorld: (seed) => {
      const world = deps.createWorld(seed);
      return {
        encounter: (spec) => world.encounter(spec),
        addPhone: (profile) => {
          const phone = world.addPhone(profile);
          return {
            ...phone,
            markProcessedUpTo: phone.markProcessedUpTo?.bind(phone),
            detectExposures: (req) => phone.detectExposures(req),
            uploadDiagnosis: async (req) => {
              const evidence = await phone.uploadDiagnosis(req);
              await deps.stack.publish();
              return evidence;
            },
          };
        },
      };
    },
  };
}

/** Runs a plan on a fresh embedded stack (the reused database, emptied); `shared` takes its cells away. */
async function run(p: Plan, options: { shared?: boolean; neighbour?: boolean } = {}): Promise<RunResult> {
  const shared = options.shared ?? false;
  const stack = await startStack({
    target: 'embedded',
    nowMs: RUN_NOW * 1000,
    hersys: { seed: 1 },
    serverDatabase: () => database.lease(),
    ...(release.server.behaviour ? { serverBehaviour: release.server.behaviour } : {}),
  });
  let deps: RunnerDeps | undefined;
  try {
    deps = await realDeps(stack);
    const { cell: _cells, ...withoutCells } = stack;
    const played = shared ? { ...deps, stack: withoutCells as StartedStack } : deps;
    return await runPlan(p, options.neighbour ? neighbourBatchAfterEveryUpload(played) : played, {
      workers: 4,
      stepTimeoutMs: 60_000,
      metadata: {
        ichirenVersion: 'test',
        seed: 1,
        release: release.name,
        target: { kind: 'embedded', detail: 'test' },
        apps: release.apps,
        node: process.version,
        platform: process.platform,
        command: 'test',
      },
    });
  } finally {
    await deps?.dispose?.();
    await stack.stop();
  }
}

/** Per cell: its status and each phone's first broken link. */
const statuses = (r: RunResult) =>
  new Map(
    r.scenarios.flatMap((s) =>
      s.cells.map((c) => [
        c.id,
        `${c.status} ${c.phones.map((p) => `${p.phone}:${p.firstBrokenLink}`).join(',')}`,
      ]),
    ),
  );

const literal = (id: string) => id.replace(/[.[\]]/g, '\\$&');

describe('isolated cells', () => {
  it('gives every scenario the same per-cell statuses alone as in the full run', async () => {
    const full = statuses(await run(plan()));
    expect(full.get('no-export-batch[android]')).toMatch(/^passed /);
    const differing: string[] = [];
    for (const s of library) {
      const alone = statuses(await run(plan(new RegExp(`^${literal(s.id)}$`))));
      expect(alone.size, s.id).toBeGreaterThan(0);
      for (const [id, status] of alone)
        if (full.get(id) !== status)
          differing.push(`${id}: alone ${status}, in the full run ${full.get(id)}`);
    }
    expect(differing).toEqual([]);
  });

  it('breaks a scenario without an export batch at publish beside scenarios that publish, and only with cells', async () => {
    const beside = plan(/^(no-export-batch|check-before-publish|export-published-twice)$/);
    const isolated = await run(beside, { neighbour: true });
    const noBatch = isolated.scenarios.find((s) => s.id === 'no-export-batch');
    for (const c of noBatch?.cells ?? []) {
      expect(c.status).toBe('passed');
      expect(c.links.find((l) => l.name === 'publish')?.detail).toContain(
        'no export batch ran after the upload',
      );
    }
    expect(isolated.status).toBe('passed');
    // One server for every cell: another cell's batch exports this cell's key, and the verdict is wrong.
    const shared = await run(beside, { shared: true, neighbour: true });
    const wrong = shared.scenarios.find((s) => s.id === 'no-export-batch')?.cells ?? [];
    expect(wrong.map((c) => c.status)).toEqual(['failed', 'failed']);
  });
});
