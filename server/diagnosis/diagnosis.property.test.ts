import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database/database.js';
import { countKeys } from '../database/key-store.js';
import { type OkHersysApp, startAppWithOkHersys } from '../testing/test-app.js';
import { v1Body, v2Body, v3Body, wireKey } from '../testing/uploads.js';

// HER-SYS says OK to every number: only the server's own validation stands between a bad body and storage.
let server: OkHersysApp;
let db: Database;
let app: OkHersysApp['app'];
beforeAll(async () => {
  server = await startAppWithOkHersys();
  ({ db, app } = server);
});
afterAll(() => server?.close());

const PATHS = { v1: '/api/diagnosis', v2: '/api/v2/diagnosis', v3: '/api/v3/diagnosis' } as const;
// One number per version: a number stores one upload's keys (server/README.md "Uploads").
const valid = { v1: () => v1Body('12345671'), v2: () => v2Body('12345672'), v3: () => v3Body('12345673') };

/** Values that are never acceptable for a required non-empty string member. */
const badString = fc.oneof(
  fc.constant(''),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object(),
);
const badKeyField = {
  keyData: fc.oneof(
    badString,
    fc.string({ maxLength: 23 }),
    fc.base64String({ minLength: 28, maxLength: 40 }),
  ),
  rollingStartNumber: fc.oneof(
    fc.string(),
    fc.double({ noInteger: true }),
    fc.constant(null),
    fc.integer({ min: 10_000_000 }),
  ),
  rollingPeriod: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 145 }), fc.string(), fc.constant(null)),
};
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('drop' as const),
    field: fc.constantFrom(
      'regions',
      'platform',
      'deviceVerificationPayload',
      'appPackageName',
      'verificationPayload',
      'keys',
    ),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    field: fc.constantFrom('platform', 'deviceVerificationPayload', 'appPackageName', 'verificationPayload'),
    value: badString,
  }),
  fc.record({
    kind: fc.constant('regions' as const),
    value: fc.oneof(
      fc.constant([]),
      fc.array(
        fc.string().filter((s) => s !== '440'),
        { minLength: 1, maxLength: 3 },
      ),
    ),
  }),
  fc
    .record({
      kind: fc.constant('key' as const),
      field: fc.constantFrom('keyData', 'rollingStartNumber', 'rollingPeriod') as fc.Arbitrary<
        keyof typeof badKeyField
      >,
    })
    .chain((m) => badKeyField[m.field].map((value) => ({ ...m, value }))),
  fc.record({
    kind: fc.constant('keys' as const),
    value: fc.oneof(
      fc.constant(null),
      fc.string(),
      fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { minLength: 1, maxLength: 3 }),
    ),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    value: fc.string().filter((s) => !/^[0-9]{8}$/.test(s) && s.length > 0),
  }),
);

describe('diagnosis endpoints under random malformed bodies', () => {
  // Control: the unmutated bodies are accepted, so the refusals below come from the mutations.
  it('accept the valid body of each version', async () => {
    for (const version of ['v1', 'v2', 'v3'] as const) {
      const res = await app.inject({ method: 'PUT', url: PATHS[version], payload: valid[version]() });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
    expect((await countKeys(db)).total).toBe(3);
    await db.query('TRUNCATE temporary_exposure_keys, uploads');
  });

  it('answer 4xx, never 5xx, and store nothing for any single invalidating mutation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('v1', 'v2', 'v3' as const), mutation, async (version, m) => {
        const body: Record<string, unknown> = valid[version]();
        if (m.kind === 'drop') delete body[m.field];
        else if (m.kind === 'set') body[m.field] = m.value;
        else if (m.kind === 'regions') body.regions = m.value;
        else if (m.kind === 'keys') body.keys = m.value;
        else if (m.kind === 'number') body.verificationPayload = m.value;
        else body.keys = [{ ...wireKey(), [m.field]: m.value }];
        const res = await app.inject({ method: 'PUT', url: PATHS[version], payload: body });
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, res.body).toBeLessThan(500);
        expect(typeof res.json().code).toBe('string');
        expect((await countKeys(db)).total).toBe(0);
      }),
      { numRuns: 300, seed: 20_200_918 },
    );
  });

  it('answer 4xx to arbitrary JSON and arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.values(PATHS)),
        fc.oneof(
          fc.json().map((j) => j),
          fc.string(),
        ),
        async (path, payload) => {
          const res = await app.inject({
            method: 'PUT',
            url: path,
            payload,
            headers: { 'content-type': 'application/json' },
          });
          expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, res.body).toBeLessThan(500);
          expect((await countKeys(db)).total).toBe(0);
        },
      ),
      { numRuns: 300, seed: 20_210_217 },
    );
  });
});
