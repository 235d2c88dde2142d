/**
 * The live-key scenario of the standard library catches a server that decides which keys to export
 * by the key's start instead of the end of its rolling period (it publishes today's key while the
 * sender still broadcasts it). The defect is planted in the embedded reference server through its
 * one predicate (server/export/exportable.ts); the same scenario passes on the real server in every
 * `npm run e2e` and in test/e2e/hours.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';
import { runPlan } from '../../harness/runner/run-plan.js';
import { realDeps, startStack } from '../../harness/runner/wiring.js';
import { compilePlan } from '../../harness/scenario/compile.js';
import { parseScenarios } from '../../harness/scenario/loader.js';
import { loadRelease } from '../../harness/scenario/release.js';

vi.mock('../../server/export/exportable.js', () => ({
  // The defect: a key counts as ended once it has started.
  EXPORTABLE: `exported = false AND region = $1 AND rolling_start_interval_number >= $2
                 AND rolling_start_interval_number <= $3`,
}));

vi.setConfig({ testTimeout: 180_000 });

const SAME_DAY = fileURLToPath(new URL('../../scenarios/same-day-keys.yaml', import.meta.url));

it("fails the live-key scenario at publish, naming the export's time and the key's period end", async () => {
  const release = await loadRelease('latest');
  const plan = compilePlan(parseScenarios(SAME_DAY, await readFile(SAME_DAY, 'utf8')), {
    release,
    seed: 3,
    nowEpochSeconds: Date.parse('2026-11-20T09:30:00Z') / 1000,
    grep: /^live-key-withheld-then-exported$/,
  });
  const stack = await startStack({
    target: 'embedded',
    nowMs: Date.parse('2026-11-20T09:30:00Z'),
    hersys: { seed: 3 },
  });
  try {
    const deps = await realDeps(stack);
    const result = await runPlan(plan, deps, {
      workers: 1,
      stepTimeoutMs: 60_000,
      metadata: {
        ichirenVersion: 'test',
        seed: 3,
        release: release.name,
        target: { kind: 'embedded', detail: 'planted: exports keys by their start' },
        apps: release.apps,
        node: process.version,
        platform: process.platform,
        command: 'test',
      },
    });
    await deps.dispose?.();
    const cells = result.scenarios.flatMap((s) => s.cells);
    expect(cells.map((c) => c.id)).toEqual([
      'live-key-withheld-then-exported[android,11]',
      'live-key-withheld-then-exported[ios,14.4]',
    ]);
    for (const c of cells) {
      expect(c.status).toBe('failed');
      expect(c.firstBrokenLink).toBe('publish');
      const publish = c.links.find((l) => l.name === 'publish');
      // Exported by the batch at now (21:00 JST), while the key's period ran until 21:10.
      expect(publish?.detail).toMatch(
        /exported in \d+\.zip at 2026-11-2\dT12:00:\d\d(\.\d+)?Z, while still being broadcast \(its rolling period ran until 2026-11-2\dT12:10:00Z\)/,
      );
    }
  } finally {
    await stack.stop();
  }
});
