import { describe, expect, it } from 'vitest';
import { startHerSysStub } from '../../stubs/hersys/stub.js';
import type { StartedStack } from '../stack/types.js';
import { realDeps } from './wiring.js';

/** A stack of nothing but the HER-SYS stub: what realDeps reads of it. */
const stackOf = (stub: Awaited<ReturnType<typeof startHerSysStub>>) =>
  ({
    hersys: { url: stub.url, controlUrl: stub.controlUrl, controlToken: stub.controlToken },
  }) as unknown as StartedStack;

describe('realDeps', () => {
  it('issues web-screen numbers while HER-SYS verification is down (a fault never touches the screen)', async () => {
    await using stub = await startHerSysStub({ seed: 31 });
    const deps = await realDeps(stackOf(stub));
    try {
      await stub.client.setFault({ mode: 'down' });
      // The verification port really refuses now (it closes just after the answer to the fault).
      await expect
        .poll(() =>
          fetch(stub.verifyUrl, { method: 'POST' }).then(
            () => 'answered',
            () => 'refused',
          ),
        )
        .toBe('refused');
      const issued = await deps.issueViaWebScreen?.({ testDate: '2026-11-30' });
      expect(issued?.processingNumber).toMatch(/^\d{8}$/);
    } finally {
      await deps.dispose?.();
    }
  }, 60_000);

  it("reaches the stub's control over real HTTP: numbers issued, a fault set for them and cleared, an error named", async () => {
    await using stub = await startHerSysStub({ seed: 32 });
    const deps = await realDeps(stackOf(stub));
    try {
      const issued = await deps.hersys.registerPatient({ testDate: '2026-11-30' });
      expect(issued.processingNumber).toMatch(/^\d{8}$/);
      await deps.hersys.setNumberFault({ mode: 'status', status: 503, numbers: [issued.processingNumber] });
      expect(await stub.client.numberFaults()).toHaveLength(1);
      await deps.hersys.clearNumberFaults([issued.processingNumber]);
      expect(await stub.client.numberFaults()).toEqual([]);
      await expect(deps.hersys.setFault({ mode: 'status', status: 200 })).rejects.toThrow(
        /PUT \/control\/faults failed: 400 status: must be 429 or 500/,
      );
    } finally {
      await deps.dispose?.();
    }
  }, 60_000);
});
