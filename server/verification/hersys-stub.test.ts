import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedHerSysStub, startHerSysStub } from '../../stubs/hersys/index.js';
import { type StartedReferenceServer, startReferenceServer } from '../index.js';
import { v2Body } from '../testing/uploads.js';

/** The server's HER-SYS client against the dummy HER-SYS over real HTTP (stubs/hersys, cocoa.md §2). */
describe('HER-SYS verification against the dummy HER-SYS', () => {
  let stub: StartedHerSysStub;
  let server: StartedReferenceServer;
  beforeAll(async () => {
    stub = await startHerSysStub({ subscriptionKey: 'apim-key' });
    server = await startReferenceServer({
      hersys: {
        url: stub.verifyUrl,
        parameterName: stub.parameterName,
        subscriptionKey: 'apim-key',
        timeoutMs: 500,
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await stub?.stop();
  });
  const upload = async (number: string) => {
    const res = await fetch(`${server.apiUrlBase}/v2/diagnosis`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(v2Body(number)),
    });
    return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
  };

  it('accepts an issued number once (204), then 406 ALREADY_USED', async () => {
    const { processingNumber } = await stub.client.registerPatient({});
    expect((await upload(processingNumber)).status).toBe(204);
    const again = await upload(processingNumber);
    expect(again.status).toBe(406);
    expect(again.body.detail).toMatch(/ALREADY_USED/);
  });

  it('answers 406 for a never-issued and for a revoked number', async () => {
    const { processingNumber } = await stub.client.registerPatient({});
    await stub.client.revoke({ processingNumber });
    expect((await upload(processingNumber)).body.detail).toBe('HER-SYS: REVOKED');
    const unknown = await upload('00000001');
    expect(unknown.status).toBe(406);
  });

  it('answers 406 EXPIRED once the stub clock passes the validity', async () => {
    const { processingNumber } = await stub.client.registerPatient({});
    await stub.client.advanceClock(73 * 3_600_000);
    try {
      expect((await upload(processingNumber)).body.detail).toBe('HER-SYS: EXPIRED');
    } finally {
      await stub.client.setClockOffset(0);
    }
  });

  it('answers 503 under HER-SYS faults: 500 status, timeout, broken body', async () => {
    for (const fault of [
      { mode: 'status', status: 500 },
      { mode: 'timeout' },
      { mode: 'malformed-body' },
    ] as const) {
      const { processingNumber } = await stub.client.registerPatient({});
      await stub.client.setFault({ ...fault, count: 1 });
      const r = await upload(processingNumber);
      expect(r.status, fault.mode).toBe(503);
      expect(r.body.code).toBe('VERIFICATION_UNAVAILABLE');
    }
  });
});
