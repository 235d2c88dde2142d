import { describe, expect, it } from 'vitest';
import { setupHerSysServer } from './in-process.js';
import { describeHerSysConformance, postVerify } from './testing/conformance.js';

const hersys = setupHerSysServer({ seed: 11 });

describeHerSysConformance(
  'in-process (msw setupServer)',
  async () => {
    hersys.listen();
    return {
      verifyUrl: hersys.verifyUrl,
      client: hersys.client,
      controlUrl: hersys.origin,
      downStyle: 'network-error',
      settle: async () => {},
    };
  },
  async () => hersys.close(),
);

describe('in-process only', () => {
  it('down with count fails the next N calls as network errors, then answers', async () => {
    const h = setupHerSysServer({ origin: 'http://hersys-down.test' });
    h.listen();
    try {
      await h.client.setFault({ mode: 'down', count: 2 });
      await expect(postVerify(h.verifyUrl, '{"processingNumber":"12345678"}')).rejects.toThrow();
      await expect(postVerify(h.verifyUrl, '{"processingNumber":"12345678"}')).rejects.toThrow();
      const res = await postVerify(h.verifyUrl, '{"processingNumber":"12345678"}');
      expect(await res.json()).toEqual({ result: 'NOT_FOUND' });
      expect((await h.client.calls()).map((c) => c.fault)).toEqual(['down', 'down', null]);
    } finally {
      h.close();
    }
  });

  it('lets requests to other origins pass through', async () => {
    const h = setupHerSysServer({ origin: 'http://hersys-pass.test' });
    h.listen();
    try {
      await expect(fetch('http://127.0.0.1:9/api/verify', { method: 'POST', body: '{}' })).rejects.toThrow();
    } finally {
      h.close();
    }
  });

  it('uses a configured parameter name and requires a configured subscription key', async () => {
    const h = setupHerSysServer({
      origin: 'http://hersys-param.test',
      parameterName: 'shoriBango',
      subscriptionKey: 'k1',
    });
    h.listen();
    try {
      const { processingNumber } = await h.client.registerPatient({ testDate: '2020-10-01' });
      const body = JSON.stringify({ shoriBango: processingNumber });
      expect((await postVerify(h.verifyUrl, body)).status).toBe(401);
      const ok = await postVerify(h.verifyUrl, body, {
        headers: { 'content-type': 'text/plain', 'Ocp-Apim-Subscription-Key': 'k1' },
      });
      expect(await ok.json()).toMatchObject({ result: 'OK' });
      const calls = await h.client.calls();
      expect(calls.map((c) => c.subscriptionKeyPresent)).toEqual([false, true]);
    } finally {
      h.close();
    }
  });
});
