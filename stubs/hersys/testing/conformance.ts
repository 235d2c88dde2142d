import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HerSysControlClient } from '../client.js';
import { HerSysControlError } from '../client.js';
import type { DownStyle } from '../state.js';

/** What a transport under test provides: where to verify, and the control client. */
export interface ConformanceTarget {
  readonly verifyUrl: string;
  readonly client: HerSysControlClient;
  readonly downStyle: DownStyle;
  /** Base URL that serves control (for raw unauthorised calls). */
  readonly controlUrl: string;
  /** Waits until the transport applied a 'down' change (port closed/reopened); no-op in-process. */
  settle(): Promise<void>;
}

const HOUR = 3_600_000;

/** POST as COCOA's server does: hand-built JSON string, text/plain (cocoa.md §2). */
export async function postVerify(url: string, body: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/plain; charset=utf-8', accept: 'application/json' },
    ...init,
  });
}

async function verifyNumber(
  t: ConformanceTarget,
  number: string,
): Promise<{ status: number; json: unknown }> {
  const res = await postVerify(t.verifyUrl, JSON.stringify({ processingNumber: number }));
  return { status: res.status, json: await res.json() };
}

/**
 * The verification answers and fault modes every transport must give identically. Defined once as data
 * and run over each transport (in-process setupServer; real HTTP from another process).
 */
export function describeHerSysConformance(
  name: string,
  start: () => Promise<ConformanceTarget>,
  stop: () => Promise<void>,
) {
  describe(name, () => {
    let t: ConformanceTarget;
    beforeAll(async () => {
      t = await start();
    });
    afterAll(stop);
    beforeEach(async () => {
      await t.client.reset();
      await t.settle();
    });

    describe('verification answers', () => {
      it('answers OK with the patient dates the first time, then ALREADY_USED', async () => {
        const issued = await t.client.registerPatient({
          testDate: '2020-09-28',
          symptomOnsetDate: '2020-09-26',
          testType: 'antigen',
        });
        expect(issued.processingNumber).toMatch(/^\d{8}$/);
        expect(await verifyNumber(t, issued.processingNumber)).toEqual({
          status: 200,
          json: {
            result: 'OK',
            testDate: '2020-09-28',
            symptomOnsetDate: '2020-09-26',
            hasSymptom: true,
            testType: 'antigen',
          },
        });
        expect(await verifyNumber(t, issued.processingNumber)).toEqual({
          status: 200,
          json: { result: 'ALREADY_USED' },
        });
      });

      it('answers OK with symptomOnsetDate null and hasSymptom false for an asymptomatic patient', async () => {
        const issued = await t.client.registerPatient({ testDate: '2020-10-01' });
        expect((await verifyNumber(t, issued.processingNumber)).json).toEqual({
          result: 'OK',
          testDate: '2020-10-01',
          symptomOnsetDate: null,
          hasSymptom: false,
          testType: 'PCR',
        });
      });

      it('answers NOT_FOUND for a well-formed number never issued', async () => {
        const issued = await t.client.registerPatient({ testDate: '2020-10-01' });
        const other = issued.processingNumber === '00000000' ? '00000001' : '00000000';
        expect(await verifyNumber(t, other)).toEqual({ status: 200, json: { result: 'NOT_FOUND' } });
      });

      it('answers MALFORMED for anything but 8 digits', async () => {
        for (const bad of ['1234567', '123456789', '1234abcd', '', '１２３４５６７８']) {
          expect((await verifyNumber(t, bad)).json).toEqual({ result: 'MALFORMED' });
        }
      });

      it('answers EXPIRED once the stub clock passes the validity window, without waiting', async () => {
        const issued = await t.client.registerPatient({ testDate: '2020-10-01' });
        await t.client.setClockOffset(72 * HOUR - 60_000);
        const stillValid = await t.client.registerPatient({ testDate: '2020-10-01' });
        await t.client.setClockOffset(72 * HOUR + 1);
        expect((await verifyNumber(t, issued.processingNumber)).json).toEqual({ result: 'EXPIRED' });
        expect((await verifyNumber(t, stillValid.processingNumber)).json).toMatchObject({ result: 'OK' });
        const { numbers } = await t.client.numbers();
        expect(numbers.find((n) => n.processingNumber === issued.processingNumber)?.state).toBe('expired');
      });

      it('answers REVOKED for a revoked number, even unused and unexpired', async () => {
        const issued = await t.client.registerPatient({ testDate: '2020-10-01' });
        const revoked = await t.client.revoke({ processingNumber: issued.processingNumber });
        expect(revoked.state).toBe('revoked');
        expect((await verifyNumber(t, issued.processingNumber)).json).toEqual({ result: 'REVOKED' });
      });

      it('accepts a JSON body whatever its content type', async () => {
        const issued = await t.client.registerPatient({ testDate: '2020-10-01' });
        const res = await fetch(t.verifyUrl, {
          method: 'POST',
          body: JSON.stringify({ processingNumber: issued.processingNumber }),
          headers: { 'content-type': 'application/octet-stream' },
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ result: 'OK' });
      });
    });

    describe('bad requests get 400 with a reason', () => {
      const cases: [string, string, RegExp][] = [
        ['no body', '', /empty/],
        ['not JSON', '{processingNumber: 1', /not JSON/],
        ['a JSON array', '["12345678"]', /JSON object/],
        ['no parameter', '{"number":"12345678"}', /missing parameter "processingNumber"/],
        ['a numeric parameter', '{"processingNumber":12345678}', /must be a string/],
      ];
      for (const [what, body, reason] of cases) {
        it(`rejects ${what}`, async () => {
          const res = await postVerify(t.verifyUrl, body);
          expect(res.status).toBe(400);
          const json = (await res.json()) as { reason: string };
          expect(json.reason).toMatch(reason);
        });
      }

      it('logs a 400 with parameterPresent false and its reason', async () => {
        await postVerify(t.verifyUrl, '{"number":"12345678"}');
        const [call] = await t.client.calls();
        expect(call).toMatchObject({
          parameterPresent: false,
          status: 400,
          result: null,
          maskedNumber: null,
        });
        expect(call.reason).toMatch(/missing parameter/);
      });
    });

    describe('call log', () => {
      it('records every verification with a masked number, result and status', async () => {
        const issued = await t.client.registerPatient({ testDate: '2020-10-01' });
        await verifyNumber(t, issued.processingNumber);
        await verifyNumber(t, issued.processingNumber);
        const calls = await t.client.calls();
        expect(calls.map((c) => [c.result, c.status, c.fault])).toEqual([
          ['OK', 200, null],
          ['ALREADY_USED', 200, null],
        ]);
        expect(calls[0].maskedNumber).toBe(`******${issued.processingNumber.slice(-2)}`);
        expect(calls[0].parameterPresent).toBe(true);
        expect(JSON.stringify(calls)).not.toContain(issued.processingNumber);
      });
    });

    describe('faults', () => {
      it('status: answers the injected 5xx for the next N calls, then normally', async () => {
        const issued = await t.client.registerPatient({ testDate: '2020-10-01' });
        await t.client.setFault({ mode: 'status', status: 503, count: 2 });
        expect((await verifyNumber(t, issued.processingNumber)).status).toBe(503);
        expect((await verifyNumber(t, issued.processingNumber)).status).toBe(503);
        // The faulted calls did not consume the number.
        expect(await verifyNumber(t, issued.processingNumber)).toMatchObject({
          status: 200,
          json: { result: 'OK' },
        });
        expect((await t.client.calls()).map((c) => c.fault)).toEqual(['status', 'status', null]);
      });

      it('status: answers 429 on every call until cleared', async () => {
        await t.client.setFault({ mode: 'status', status: 429 });
        for (let i = 0; i < 3; i++) expect((await verifyNumber(t, '12345678')).status).toBe(429);
        await t.client.clearFault();
        expect((await verifyNumber(t, '12345678')).status).toBe(200);
      });

      it('latency: delays the answer by the given milliseconds', async () => {
        await t.client.setFault({ mode: 'latency', latencyMs: 120, count: 1 });
        const t0 = performance.now();
        const res = await postVerify(t.verifyUrl, '{"processingNumber":"12345678"}');
        expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
        expect(await res.json()).toEqual({ result: 'NOT_FOUND' });
        expect((await t.client.calls())[0].fault).toBe('latency');
      });

      it('malformed-body: answers 200 with a body that is not valid JSON', async () => {
        await t.client.setFault({ mode: 'malformed-body', count: 1 });
        const res = await postVerify(t.verifyUrl, '{"processingNumber":"12345678"}');
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/application\/json/);
        const text = await res.text();
        expect(() => JSON.parse(text)).toThrow();
      });

      it('wrong-content-type: answers text/html', async () => {
        await t.client.setFault({ mode: 'wrong-content-type', count: 1 });
        const res = await postVerify(t.verifyUrl, '{"processingNumber":"12345678"}');
        expect(res.headers.get('content-type')).toMatch(/text\/html/);
        expect(await res.text()).toMatch(/<html/);
      });

      it('timeout: never answers; the client gives up and the call is logged without a status', async () => {
        await t.client.setFault({ mode: 'timeout', count: 1 });
        await expect(
          postVerify(t.verifyUrl, '{"processingNumber":"12345678"}', { signal: AbortSignal.timeout(150) }),
        ).rejects.toThrow();
        const [call] = await t.client.calls();
        expect(call).toMatchObject({ fault: 'timeout', status: null, result: null });
        // The budget of 1 is spent: the next call is answered.
        expect((await verifyNumber(t, '12345678')).json).toEqual({ result: 'NOT_FOUND' });
      });

      it('down: refuses connections until cleared, then answers again', async () => {
        await t.client.setFault({ mode: 'down' });
        await t.settle();
        await expect(postVerify(t.verifyUrl, '{"processingNumber":"12345678"}')).rejects.toThrow();
        await expect(postVerify(t.verifyUrl, '{"processingNumber":"12345678"}')).rejects.toThrow();
        await t.client.clearFault();
        await t.settle();
        expect((await verifyNumber(t, '12345678')).json).toEqual({ result: 'NOT_FOUND' });
      });

      it('down: comes back by itself after forMs', async () => {
        await t.client.setFault({ mode: 'down', forMs: 100 });
        await t.settle();
        await expect(postVerify(t.verifyUrl, '{"processingNumber":"12345678"}')).rejects.toThrow();
        let answered = false;
        for (let i = 0; i < 50 && !answered; i++) {
          await new Promise((r) => setTimeout(r, 20));
          answered = await postVerify(t.verifyUrl, '{"processingNumber":"12345678"}').then(
            () => true,
            () => false,
          );
        }
        expect(answered).toBe(true);
      });

      it('by number: faults only the calls carrying its numbers, one budget, shown and logged masked', async () => {
        const mine = await t.client.registerPatient({ testDate: '2020-10-01' });
        const theirs = await t.client.registerPatient({ testDate: '2020-10-01' });
        await t.client.setFault({ mode: 'latency', latencyMs: 1 });
        const set = await t.client.setNumberFault({
          mode: 'status',
          status: 503,
          count: 1,
          numbers: [mine.processingNumber, '00000000'],
        });
        expect(set.numbers).toEqual([`******${mine.processingNumber.slice(-2)}`, '******00']);
        expect(await t.client.numberFaults()).toEqual([set]);
        expect((await verifyNumber(t, theirs.processingNumber)).json).toMatchObject({ result: 'OK' });
        expect((await verifyNumber(t, mine.processingNumber)).status).toBe(503);
        // The budget of 1 is spent, for both numbers.
        expect((await verifyNumber(t, '00000000')).json).toEqual({ result: 'NOT_FOUND' });
        expect((await verifyNumber(t, mine.processingNumber)).json).toMatchObject({ result: 'OK' });
        expect((await t.client.calls()).map((c) => c.fault)).toEqual([
          'latency',
          'status',
          'latency',
          'latency',
        ]);
        expect(await t.client.numberFaults()).toEqual([]);
        expect(await t.client.fault()).toMatchObject({ mode: 'latency' });
        expect(JSON.stringify(await t.client.calls())).not.toContain(mine.processingNumber);
      });

      it('by number: cleared by its numbers; the stub-wide clear leaves it alone', async () => {
        await t.client.setNumberFault({ mode: 'status', status: 429, numbers: ['11111111'] });
        await t.client.setNumberFault({ mode: 'status', status: 503, numbers: ['22222222'] });
        await t.client.clearFault();
        expect((await verifyNumber(t, '11111111')).status).toBe(429);
        await t.client.clearNumberFaults(['11111111']);
        expect((await verifyNumber(t, '11111111')).status).toBe(200);
        expect((await verifyNumber(t, '22222222')).status).toBe(503);
        await t.client.reset();
        expect(await t.client.numberFaults()).toEqual([]);
      });

      it('by number: refuses "down" and a spec without numbers, naming the field', async () => {
        await expect(t.client.setNumberFault({ mode: 'down', numbers: ['11111111'] })).rejects.toThrow(
          /mode: "down"/,
        );
        await expect(t.client.setNumberFault({ mode: 'timeout', numbers: [] })).rejects.toThrow(/numbers:/);
        await expect(t.client.clearNumberFaults([])).rejects.toThrow(/numbers:/);
      });

      it('rejects a fault spec that names no mode, naming the field', async () => {
        await expect(t.client.setFault({ mode: 'explode' as 'down' })).rejects.toThrow(
          /mode: must be one of/,
        );
        await expect(t.client.setFault({ mode: 'status', status: 404 })).rejects.toThrow(
          /status: must be 429 or 500/,
        );
      });
    });

    describe('control', () => {
      it('refuses control without the bearer token', async () => {
        const res = await fetch(`${t.controlUrl}/control/calls`, {
          headers: { authorization: 'Bearer wrong' },
        });
        expect(res.status).toBe(401);
        expect(((await res.json()) as { reason: string }).reason).toMatch(/Bearer/);
      });

      it('rejects a registration with a bad date, naming the field', async () => {
        const err = await t.client.registerPatient({ testDate: '2020-13-01' }).catch((e) => e);
        expect(err).toBeInstanceOf(HerSysControlError);
        expect((err as HerSysControlError).status).toBe(400);
        expect((err as HerSysControlError).reason).toMatch(/^testDate: /);
      });

      it('reset forgets numbers and restarts the seeded sequence', async () => {
        const a = await t.client.registerPatient({ testDate: '2020-10-01' });
        await t.client.reset();
        expect((await t.client.numbers()).numbers).toEqual([]);
        const b = await t.client.registerPatient({ testDate: '2020-10-01' });
        expect(b.processingNumber).toBe(a.processingNumber);
        expect(b.patient).toEqual(a.patient);
      });
    });
  });
}
