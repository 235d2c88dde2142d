import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedHerSysStub, startHerSysStub } from '../../stubs/hersys/index.js';
import type { Database } from '../database/database.js';
import { countKeys } from '../database/key-store.js';
import { type OkHersysApp, startAppWithOkHersys } from '../testing/test-app.js';
import { v1Body, v2Body, v3Body, wireKey } from '../testing/uploads.js';

/**
 * Fuzz of every route of the reference server and of the dummy HER-SYS (issue #15): whatever arrives,
 * the answer is never 5xx, a refusal is 4xx with a one-line reason, and a refused request changes
 * nothing (no key stored, the stub's clock and faults as they were). Bounded runs, loopback only.
 */
const oneLine = (s: unknown) => typeof s === 'string' && s.length > 0 && !/[\r\n]/.test(s);

/** JSON-ish values, including the shapes the routes expect with members broken. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(v1Body('12345678'), v2Body('12345678'), v3Body('12345678')).chain((body) =>
    fc
      .record({
        member: fc.constantFrom(
          ...Object.keys(body),
          'keys.0.keyData',
          'keys.0.rollingStartNumber',
          'keys.0.rollingPeriod',
        ),
        value: fc.oneof(
          fc.jsonValue({ maxDepth: 1 }),
          fc.constantFrom(1e300, -1, 2 ** 31, '2025-02-30T00:00:00+09:00', '', [], {}, null),
        ),
      })
      .map(({ member, value }) => {
        const copy = structuredClone(body) as Record<string, unknown>;
        const [head, i, field] = member.split('.');
        if (field) (copy[head!] as Record<string, unknown>[])[Number(i)]![field] = value;
        else copy[head!] = value;
        return copy;
      }),
  ),
);

describe('fuzz: every route of the reference server', () => {
  let server: OkHersysApp;
  let db: Database;
  let app: OkHersysApp['app'];
  beforeAll(async () => {
    server = await startAppWithOkHersys();
    ({ db, app } = server);
  });
  afterAll(() => server?.close());

  const routes = [
    ['PUT', '/api/diagnosis'],
    ['PUT', '/api/v2/diagnosis'],
    ['PUT', '/api/v3/diagnosis'],
    ['POST', '/api/register'],
    ['POST', '/api/admin/publish'],
    ['GET', '/c19r/440/list.json'],
    ['GET', '/c19r/440/1.zip'],
    ['GET', '/c19r/440/0.zip'],
    ['GET', '/c19r/Configration.json'],
    ['GET', '/c19r/verification-keys.json'],
    ['GET', '/health'],
    ['GET', '/ready'],
    ['DELETE', '/api/v3/diagnosis'],
    ['GET', '/nowhere'],
  ] as const;

  it('never answers 5xx; refusals are 4xx with a code and a one-line reason; refused uploads store nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          anyJson.map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 200 }),
          fc.constant('x'.repeat(300 * 1024)),
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined),
        fc.constantFrom('127.0.0.1', 'a b', '[::1', 'ex ample.test:99999', '', undefined),
        async ([method, url], payload, contentType, host) => {
          const before = (await countKeys(db)).total;
          const headers: Record<string, string> = {};
          if (contentType) headers['content-type'] = contentType;
          if (host !== undefined) headers.host = host;
          const res = await app.inject({
            method,
            url,
            headers,
            ...(method === 'GET' ? {} : { payload }),
          });
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode >= 400) {
            const body = res.json() as { code?: unknown; error?: unknown; detail?: unknown };
            expect(typeof body.code === 'string' || oneLine(body.error)).toBe(true);
            expect(oneLine(body.error) || oneLine((body as { message?: unknown }).message)).toBe(true);
            if (body.detail !== undefined) expect(oneLine(body.detail)).toBe(true);
            expect((await countKeys(db)).total).toBe(before);
          }
        },
      ),
      { numRuns: 150, seed: 15 },
    );
  }, 300_000);

  it('a valid upload still stores its keys (the fuzz is not vacuous)', async () => {
    const before = (await countKeys(db)).total;
    const res = await app.inject({
      method: 'PUT',
      url: '/api/v2/diagnosis',
      payload: v2Body('87654321', [wireKey({ daysAgo: 2 })]),
    });
    expect(res.statusCode).toBe(204);
    expect((await countKeys(db)).total).toBe(before + 1);
  });
});

/** Raw HTTP: fetch would refuse to send a malformed Host or a lying Content-Length. */
function raw(
  url: string,
  opts: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, method: opts.method, path: opts.path, headers: opts.headers },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('fuzz: every route of the dummy HER-SYS over HTTP', () => {
  let stub: StartedHerSysStub;
  beforeAll(async () => {
    stub = await startHerSysStub({ seed: 7 });
  });
  afterAll(() => stub?.stop());

  const routes = [
    ['POST', '/api/verify'],
    ['GET', '/api/verify'],
    ['POST', '/control/patients'],
    ['GET', '/control/numbers'],
    ['POST', '/control/revoke'],
    ['GET', '/control/calls'],
    ['PUT', '/control/faults'],
    ['GET', '/control/faults'],
    ['PUT', '/control/clock'],
    ['GET', '/control/clock'],
    ['GET', '/health'],
    ['GET', '/'],
    ['POST', '/control/unknown'],
  ] as const;

  it('never answers 5xx; refusals carry a one-line reason and change no clock or fault', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          anyJson.map((v) => JSON.stringify(v)),
          fc
            .record({
              offsetMs: fc.oneof(fc.double(), fc.constantFrom(1e300, -1e300, 8.64e15)),
              advanceMs: fc.oneof(fc.double(), fc.constant(1e300)),
            })
            .map((v) => JSON.stringify(v)),
          fc
            .record({
              mode: fc.constantFrom('latency', 'timeout', 'status', 'down', 'malformed-body', 'nope'),
              latencyMs: fc.oneof(fc.integer(), fc.constant(1e300)),
              count: fc.oneof(fc.integer(), fc.constant(1e300)),
              status: fc.integer({ min: 0, max: 999 }),
              forMs: fc.oneof(fc.integer(), fc.constant(1e300)),
            })
            .map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 100 }),
        ),
        fc.constantFrom('127.0.0.1', 'a b', 'x/y', '[::1', 'h:1:2'),
        async ([method, path], body, host) => {
          const token = { authorization: `Bearer ${stub.controlToken}` };
          const clockBefore = stub.state.clock.offsetMs;
          const faultBefore = JSON.stringify(stub.state.faults.active);
          const res = await raw(stub.controlUrl, {
            method,
            path,
            headers: { ...token, host, 'content-type': 'application/json' },
            ...(method === 'GET' ? {} : { body }),
          });
          expect(res.status).toBeLessThan(500);
          if (host !== '127.0.0.1') expect(res.status).toBe(400);
          if (res.status >= 400) {
            const answer = JSON.parse(res.text) as { reason?: unknown; error?: unknown };
            expect(oneLine(answer.reason ?? answer.error)).toBe(true);
            expect(stub.state.clock.offsetMs).toBe(clockBefore);
            expect(JSON.stringify(stub.state.faults.active)).toBe(faultBefore);
          }
          // Leave no fault or offset behind for the next run.
          stub.state.clearFault();
          stub.state.clock.setOffset(0);
        },
      ),
      { numRuns: 150, seed: 15 },
    );
  }, 300_000);

  it('refuses a body over its limit with 413 and a clock offset of 1e300 with 400, storing nothing', async () => {
    const token = { authorization: `Bearer ${stub.controlToken}` };
    const big = await raw(stub.url, {
      method: 'POST',
      path: '/api/verify',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processingNumber: '12345678', padding: 'x'.repeat(100 * 1024) }),
    });
    expect(big.status).toBe(413);
    const clock = await raw(stub.url, {
      method: 'PUT',
      path: '/control/clock',
      headers: token,
      body: '{"offsetMs":1e300}',
    });
    expect(clock.status).toBe(400);
    expect(JSON.parse(clock.text).reason).toMatch(/offsetMs/);
    expect(stub.state.clock.offsetMs).toBe(0);
    // A number still verifies afterwards.
    const { processingNumber } = stub.state.registry.register({});
    const ok = await raw(stub.url, {
      method: 'POST',
      path: '/api/verify',
      body: JSON.stringify({ processingNumber }),
    });
    expect(JSON.parse(ok.text).result).toBe('OK');
  });
});
