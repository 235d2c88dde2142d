import { getResponse, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { createHerSysHandlers } from './handlers.js';
import { handlersFor } from './http-adapter.js';
import { HerSysState } from './state.js';

describe('handlersFor', () => {
  const handlers = [
    http.post('*/api/verify', () => HttpResponse.text('verify')),
    http.all('*/api/verify', () => HttpResponse.text('verify: method')),
    http.get('*/', () => HttpResponse.text('screen')),
    http.get('*/users/:id', () => HttpResponse.text('user')),
    http.all('*/control/*', () => HttpResponse.text('no route')),
  ];
  const names = (method: string, path: string) =>
    handlersFor(handlers, method, path).map((h) => (h.info as { header: string }).header);

  it('leaves out a handler of another plain path or method, and keeps patterns and any-method handlers', () => {
    expect(names('POST', '/api/verify')).toEqual([
      'POST */api/verify',
      '/.+/ */api/verify',
      '/.+/ */control/*',
    ]);
    expect(names('GET', '/')).toEqual(['GET */', 'GET */users/:id', '/.+/ */control/*']);
    expect(names('GET', '/API/Verify/')).toContain('/.+/ */api/verify');
  });

  it("answers every request as msw's own matching over all the handlers does", async () => {
    const state = new HerSysState({ seed: 3, controlToken: 't' });
    const all = createHerSysHandlers(state);
    const requests: [string, string][] = [
      ['POST', '/api/verify'],
      ['GET', '/api/verify'],
      ['GET', '/API/VERIFY/'],
      ['GET', '/health'],
      ['GET', '/health/'],
      ['GET', '/'],
      ['GET', '/control/calls'],
      ['GET', '/control/faults/by-number'],
      ['DELETE', '/control/faults'],
      ['GET', '/control/nothing'],
      ['PATCH', '/control/clock'],
      ['GET', '/elsewhere'],
    ];
    for (const [method, path] of requests) {
      const request = () =>
        new Request(`http://127.0.0.1:1${path}`, {
          method,
          headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: '{"processingNumber":"12345678"}' } : {}),
        });
      const answer = async (r: Response | undefined) => (r ? `${r.status} ${await r.text()}` : 'none');
      const expected = await answer(await getResponse(all, request()));
      state.reset();
      const got = await answer(await getResponse(handlersFor(all, method, path), request()));
      state.reset();
      expect(`${method} ${path} → ${got}`).toBe(`${method} ${path} → ${expected}`);
    }
  });
});
