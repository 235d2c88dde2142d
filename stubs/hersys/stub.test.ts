import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startHerSysStub } from './stub.js';
import { postVerify } from './testing/conformance.js';
import { settlePort } from './testing/settle.js';

const connectable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('startHerSysStub', () => {
  it('binds 127.0.0.1 on an ephemeral port and verifies a number issued through its client', async () => {
    await using stub = await startHerSysStub({ seed: 3 });
    expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stub.verifyUrl).toBe(`${stub.url}/api/verify`);
    const { processingNumber } = await stub.client.registerPatient({ testDate: '2020-10-01' });
    const res = await postVerify(stub.verifyUrl, JSON.stringify({ processingNumber }));
    expect(await res.json()).toMatchObject({ result: 'OK' });
  });

  it('lists the newest numbers first with ?recent=N and the total, and refuses a bad N', async () => {
    await using stub = await startHerSysStub({ seed: 4 });
    const issued = [];
    for (let i = 0; i < 5; i++) issued.push(await stub.client.registerPatient({ testDate: '2020-10-01' }));
    const get = (query: string) =>
      fetch(`${stub.controlUrl}/control/numbers${query}`, {
        headers: { authorization: `Bearer ${stub.controlToken}` },
      });
    const page = await (await get('?recent=2')).json();
    expect(page.total).toBe(5);
    expect(page.numbers.map((n: { processingNumber: string }) => n.processingNumber)).toEqual([
      issued[4]?.processingNumber,
      issued[3]?.processingNumber,
    ]);
    expect(page.patients.map((p: { patientId: string }) => p.patientId)).toEqual([
      issued[4]?.patientId,
      issued[3]?.patientId,
    ]);
    for (const bad of ['0', '-1', '1001', 'x', '1.5']) {
      const res = await get(`?recent=${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).reason).toMatch(/^recent: must be an integer from 1 to 1000/);
    }
    expect((await (await get('')).json()).numbers).toHaveLength(5);
  });

  it('uses the given control token, and a random one per start otherwise', async () => {
    await using a = await startHerSysStub();
    await using b = await startHerSysStub();
    await using c = await startHerSysStub({ controlToken: 'given' });
    expect(a.controlToken).not.toBe(b.controlToken);
    expect(a.controlToken.length).toBeGreaterThanOrEqual(16);
    expect(c.controlToken).toBe('given');
  });

  it('really closes the port under "down" and reopens the same port on clear', async () => {
    await using stub = await startHerSysStub();
    const port = Number(new URL(stub.url).port);
    await stub.client.setFault({ mode: 'down' });
    await settlePort(stub.url, stub.client);
    expect(await connectable(port)).toBe(false);
    // Control stays reachable on its own port while the verification port is down.
    expect((await stub.client.fault())?.mode).toBe('down');
    await stub.client.clearFault();
    await settlePort(stub.url, stub.client);
    expect(await connectable(port)).toBe(true);
  });

  it('stop() is idempotent and ends held timeout connections', async () => {
    const stub = await startHerSysStub();
    await stub.client.setFault({ mode: 'timeout' });
    const pending = postVerify(stub.verifyUrl, '{"processingNumber":"12345678"}').then(
      () => 'answered',
      () => 'closed',
    );
    await expect.poll(() => stub.state.heldCount).toBe(1);
    await stub.stop();
    await stub.stop();
    expect(await pending).toBe('closed');
    expect(stub.state.heldCount).toBe(0);
    expect(await connectable(Number(new URL(stub.url).port))).toBe(false);
  });

  it('logs masked numbers only', async () => {
    await using stub = await startHerSysStub({ seed: 4 });
    const { processingNumber } = await stub.client.registerPatient({ testDate: '2020-10-01' });
    await postVerify(stub.verifyUrl, JSON.stringify({ processingNumber }));
    await stub.client.revoke({ processingNumber });
    const text = stub.logs().join('\n');
    expect(text).toContain(`******${processingNumber.slice(-2)}`);
    expect(text).not.toContain(processingNumber);
  });

  it('serves the health-centre screen in Japanese with English labels', async () => {
    await using stub = await startHerSysStub();
    const res = await fetch(`${stub.url}/`);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('保健所');
    expect(html).toContain('Health centre screen');
  });

  it('answers unknown paths with 404 and a reason, wrong methods with 405', async () => {
    await using stub = await startHerSysStub();
    const r404 = await fetch(`${stub.url}/nope`);
    expect(r404.status).toBe(404);
    expect(((await r404.json()) as { reason: string }).reason).toMatch(/no route/);
    expect((await fetch(stub.verifyUrl)).status).toBe(405);
  });
});
