/**
 * The stub runs for weeks (`ichiren watch --every`, a test campaign): what it keeps per verification
 * call is bounded. Here at a small ring; harness/bench/hersys-memory.bench.ts measures the real sizes.
 */
import { describe, expect, it } from 'vitest';
import { MASKED_MAX, maskNumber } from './mask.js';
import { MAX_PAGE } from './paging.js';
import { startHerSysStub } from './stub.js';
import { postVerify } from './testing/conformance.js';

describe('a long-running stub', () => {
  it('keeps the newest calls and log lines only, counting the dropped, with every number cut short', async () => {
    await using stub = await startHerSysStub({ seed: 5, callLogSize: 20, logLines: 30 });
    const long = `${'9'.repeat(60_000)}42`;
    for (let i = 0; i < 50; i++)
      await postVerify(stub.verifyUrl, JSON.stringify({ processingNumber: i % 2 ? long : '12345678' }));
    const calls = await stub.client.calls();
    expect(calls.map((c) => c.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 31 + i));
    for (const c of calls) expect((c.maskedNumber ?? '').length).toBeLessThanOrEqual(MASKED_MAX);
    expect(calls.find((c) => c.seq === 50)?.maskedNumber).toBe('…********42');
    const page = await (
      await fetch(`${stub.controlUrl}/control/calls?limit=5`, {
        headers: { authorization: `Bearer ${stub.controlToken}` },
      })
    ).json();
    expect(page).toMatchObject({ total: 50, dropped: 30, next: 35 });
    expect(page.calls).toHaveLength(5);
    expect(stub.logs()).toHaveLength(30);
    expect(stub.logs().every((l) => l.length < 200)).toBe(true);
    // 50 verification lines and the stub's own: the first ones were dropped unread.
    const read = stub.logsAfter(0);
    expect(read.lines).toHaveLength(30);
    expect(read.next).toBeGreaterThanOrEqual(50);
    expect(read.missed).toBe(read.next - 30);
    expect(stub.logsAfter(read.next)).toEqual({ lines: [], next: read.next, missed: 0 });
  });

  it('pages every control listing and refuses a bad page', async () => {
    await using stub = await startHerSysStub({ seed: 6 });
    const get = async (path: string) =>
      fetch(`${stub.controlUrl}${path}`, { headers: { authorization: `Bearer ${stub.controlToken}` } });
    const issued = [];
    for (let i = 0; i < 3; i++) issued.push(await stub.client.registerPatient({ testDate: '2020-10-01' }));
    await stub.client.setNumberFault({ numbers: [issued[0].processingNumber], mode: 'status', status: 503 });
    await stub.client.setNumberFault({ numbers: [issued[1].processingNumber], mode: 'status', status: 503 });
    const numbers = await (await get('/control/numbers?after=1&limit=1')).json();
    expect(numbers).toMatchObject({ total: 3, next: 2 });
    expect(numbers.numbers.map((n: { processingNumber: string }) => n.processingNumber)).toEqual([
      issued[1].processingNumber,
    ]);
    expect(numbers.patients.map((p: { patientId: string }) => p.patientId)).toEqual([issued[1].patientId]);
    expect(await (await get('/control/faults/by-number?limit=1')).json()).toMatchObject({
      total: 2,
      next: 1,
    });
    expect((await stub.client.numbers()).numbers).toHaveLength(3);
    expect(await stub.client.numberFaults()).toHaveLength(2);
    for (const path of ['/control/calls', '/control/numbers', '/control/faults/by-number'])
      for (const bad of ['limit=0', `limit=${MAX_PAGE + 1}`, 'after=-1', 'after=x']) {
        const res = await get(`${path}?${bad}`);
        expect(res.status, `${path}?${bad}`).toBe(400);
        expect((await res.json()).reason).toMatch(/^(after|limit): must be/);
      }
  });
});

describe('maskNumber', () => {
  it('shows the last 2 characters only, and at most MASKED_MAX characters however long the value', () => {
    expect(maskNumber('12345678')).toBe('******78');
    expect(maskNumber('1')).toBe('*');
    expect(maskNumber('1234567890')).toBe('********90');
    expect(maskNumber('12345678901')).toBe('…********01');
    expect(maskNumber('7'.repeat(60_000))).toHaveLength(MASKED_MAX);
  });
});
