import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processGone, runHoldingFixture } from '../../harness/stack/testing.js';
import { retryUntil } from '../../harness/stack/wait.js';
import { postgresUnavailableReason } from './postgres.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/hold-postgres.ts', import.meta.url));

/** Runs the fixture in its own node process; resolves with the PostgreSQL it started. */
const holdPostgres = (mode: 'crash' | 'hold') =>
  runHoldingFixture<{ pid: number; dir: string }>(FIXTURE, [mode]);

async function expectGone(held: { pid: number; dir: string }) {
  await retryUntil('PostgreSQL gone', async () => (processGone(held.pid) ? true : undefined), {
    timeoutMs: 5_000,
    everyMs: 20,
  });
  expect(existsSync(held.dir)).toBe(false);
}

// pg_ctl leaves PostgreSQL running detached: a test or bench process that ends without stop() must
// not leave it (and its directory) behind.
describe.skipIf(postgresUnavailableReason() !== undefined)('a test PostgreSQL whose owner ends early', () => {
  it('is killed and its directory removed when the owner dies of an uncaught error', async () => {
    const { child, held } = await holdPostgres('crash');
    expect(processGone(held.pid)).toBe(false);
    const result = await child;
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('fixture crash');
    await expectGone(held);
  }, 60_000);

  it('is killed and its directory removed when the owner gets SIGTERM', async () => {
    const { child, held } = await holdPostgres('hold');
    child.kill('SIGTERM');
    const result = await child;
    expect(result.signal ?? result.exitCode).toBe('SIGTERM');
    await expectGone(held);
  }, 60_000);
});
