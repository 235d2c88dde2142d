import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processGone, refusesConnections, runHoldingFixture } from '../../harness/stack/testing.js';
import { retryUntil } from '../../harness/stack/wait.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/hold-stack.ts', import.meta.url));

interface Held {
  server: string;
  hersys: string;
  pids: number[];
}

/** Runs the fixture in its own node process and resolves with its report line. */
const holdStack = (mode: 'hold' | 'exit' | 'startup') => runHoldingFixture<Held>(FIXTURE, [mode]);

async function expectAllGone(held: Held) {
  expect(held.pids.length).toBeGreaterThan(0);
  // The 'exit' path SIGKILLs; the kernel may take a moment to reap, so poll with a budget.
  await retryUntil('server process gone', async () => (held.pids.every(processGone) ? true : undefined), {
    timeoutMs: 5_000,
    everyMs: 20,
  });
  expect(await refusesConnections(held.server)).toBe(true);
  expect(await refusesConnections(held.hersys)).toBe(true);
}

describe('cleanup of a process stack owned by another node process', () => {
  it('SIGINT stops the server child and HER-SYS and frees their ports', async () => {
    const { child, held } = await holdStack('hold');
    expect(await refusesConnections(held.server)).toBe(false);
    child.kill('SIGINT');
    const result = await child;
    expect(result.signal ?? result.exitCode).toBe('SIGINT');
    await expectAllGone(held);
  }, 30_000);

  it('exiting without stop still kills the server child (exit handler, last resort)', async () => {
    const { child, held } = await holdStack('exit');
    const result = await child;
    expect(result.exitCode).toBe(0);
    await expectAllGone(held);
  }, 30_000);

  it('SIGINT while the server is still starting aborts the wait and kills the half-started server', async () => {
    const { child, held } = await holdStack('startup');
    child.kill('SIGINT');
    const result = await child;
    expect(result.signal ?? result.exitCode).toBe('SIGINT');
    expect(result.stderr).toMatch(/stack task "server process .*" failed: interrupted/);
    await retryUntil('server process gone', async () => (held.pids.every(processGone) ? true : undefined), {
      timeoutMs: 5_000,
      everyMs: 20,
    });
  }, 30_000);
});
