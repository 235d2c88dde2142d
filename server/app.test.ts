import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { parseServerConfig, type ReferenceServerConfigInput } from './config.js';
import { type Database, openDatabase } from './database/database.js';
import { countKeys } from './database/key-store.js';
import { deviceClearText } from './diagnosis/device-check.js';
import { loadExposureConfigurationSet } from './exposure-configuration/index.js';
import {
  failingHersys,
  hersysHandlers,
  type RecordedCall,
  startTestHersys,
  type TestHersys,
} from './testing/hersys-handlers.js';
import { postgresUnavailableReason, startTestPostgres, type TestPostgres } from './testing/postgres.js';
import { v1Body, v2Body, v3Body, wireKey } from './testing/uploads.js';

const OK = '11111111';
const RESULTS: Record<string, string> = {
  [OK]: 'OK',
  '22222222': 'ALREADY_USED',
  '33333333': 'EXPIRED',
  '44444444': 'REVOKED',
  '55555555': 'MALFORMED',
  '66666666': 'SOMETHING_NEW',
};

let hersys: TestHersys;
let calls: RecordedCall[] = [];
beforeAll(async () => {
  hersys = await startTestHersys();
});
afterAll(() => hersys.close());
beforeEach(() => {
  calls = [];
  hersys.use(...hersysHandlers(RESULTS, calls));
});
afterEach(() => hersys.reset());

const pgReason = postgresUnavailableReason();
const targets = [
  { name: 'PGlite', skip: undefined as string | undefined },
  { name: 'PostgreSQL', skip: pgReason },
];

for (const target of targets) {
  describe.skipIf(target.skip !== undefined)(`diagnosis API on ${target.name}`, () => {
    let db: Database;
    let pg: TestPostgres | undefined;
    beforeAll(async () => {
      if (target.name === 'PostgreSQL') pg = await startTestPostgres();
      db = await openDatabase({ databaseUrl: pg?.url });
    });
    afterAll(async () => {
      await db?.close();
      await pg?.stop();
    });
    beforeEach(async () => {
      await db.query('TRUNCATE temporary_exposure_keys, registered_users, exports, uploads');
    });

    function app(config: ReferenceServerConfigInput = {}) {
      const cfg = parseServerConfig({ hersys: { url: hersys.url }, ...config });
      return buildApp({
        config: cfg,
        adminToken: 'admin-token-123',
        db,
        exposureConfiguration: loadExposureConfigurationSet(cfg.configSet),
        verificationKeys: [{ keyId: '440', version: 'v1', publicKeyBase64: 'AAAA' }],
        cdnUrlBase: () => 'http://cdn.test/',
        publish: async () => ({ ok: true, files: [], detail: 'none' }),
        logLine: () => {},
      });
    }
    const put = (
      a: ReturnType<typeof app>,
      url: string,
      payload: unknown,
      headers: Record<string, string> = {},
    ) => a.inject({ method: 'PUT', url, payload: payload as object, headers });
    const storedTrl = async () =>
      (await db.query<{ t: number }>('SELECT transmission_risk_level AS t FROM temporary_exposure_keys')).map(
        (r) => Number(r.t),
      );

    it('register returns userUuid, secret and jumpConsistentSeed', async () => {
      const res = await app().inject({ method: 'POST', url: '/api/register' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.userUuid).toMatch(/^[0-9a-f]{32}\d+$/);
      expect(typeof body.secret).toBe('string');
      expect(Number.isInteger(body.jumpConsistentSeed)).toBe(true);
    });

    it('"2020-09" copies the v1 transmissionRisk into the stored TRL (the 1.1.4 defect source)', async () => {
      const res = await put(
        app({ behaviour: '2020-09' }),
        '/api/diagnosis',
        v1Body(OK, [wireKey({ transmissionRisk: 0 })]),
      );
      expect(res.statusCode).toBe(204);
      expect(await storedTrl()).toEqual([0]);
    });

    it('"2021-02-17" fixes TRL to 4 for v1 and v2 whatever the app sent', async () => {
      const a = app({ behaviour: '2021-02-17' });
      expect(
        (await put(a, '/api/diagnosis', v1Body(OK, [wireKey({ transmissionRisk: 0 })]))).statusCode,
      ).toBe(204);
      await db.query('TRUNCATE uploads'); // the test HER-SYS has one OK number: let it store again
      expect((await put(a, '/api/v2/diagnosis', v2Body(OK))).statusCode).toBe(204);
      expect(await storedTrl()).toEqual([4, 4]);
    });

    it('with requireRegisteredUser, accepts v1 only with the Bearer secret issued for the userUuid', async () => {
      const a = app({ requireRegisteredUser: true });
      const { userUuid, secret } = (await a.inject({ method: 'POST', url: '/api/register' })).json();
      const body = { ...v1Body(OK), userUuid };
      expect((await put(a, '/api/diagnosis', body)).json()).toMatchObject({
        code: 'USER_NOT_AUTHORIZED',
        field: 'userUuid',
      });
      expect((await put(a, '/api/diagnosis', body, { authorization: 'Bearer wrong' })).statusCode).toBe(400);
      expect(calls).toHaveLength(0);
      expect((await put(a, '/api/diagnosis', body, { authorization: `Bearer ${secret}` })).statusCode).toBe(
        204,
      );
    });

    it('refuses /v2 and /v3 under "2020-09", when they did not exist', async () => {
      const a = app({ behaviour: '2020-09' });
      expect((await put(a, '/api/v2/diagnosis', v2Body(OK))).json().code).toBe('ROUTE_NOT_IN_BEHAVIOUR');
      expect((await put(a, '/api/v3/diagnosis', v3Body(OK))).statusCode).toBe(404);
      expect(calls).toHaveLength(0);
    });

    it('v3 answers 200 echoing the body and sets TRL 4 from DSOS −3, 1 before', async () => {
      // onset 5 days ago, test-based window −3..+7: keys 1 and 7 days ago → DSOS +4 and −2 kept; 9 days ago → −4 dropped
      const keys = [
        wireKey({ daysAgo: 1, reportType: 1 }),
        wireKey({ daysAgo: 7, reportType: 1 }),
        wireKey({ daysAgo: 9 }),
      ];
      const body = v3Body(OK, keys, { hasSymptom: false, onsetDaysAgo: 5 });
      const res = await put(app(), '/api/v3/diagnosis', body);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(body);
      const rows = await db.query<{ t: number; d: number; r: number }>(
        'SELECT transmission_risk_level AS t, days_since_onset_of_symptoms AS d, report_type AS r FROM temporary_exposure_keys ORDER BY d',
      );
      expect(rows.map((r) => [Number(r.d), Number(r.t), Number(r.r)])).toEqual([
        [-2, 4, 1],
        [4, 4, 1],
      ]);
    });

    it('v3 keeps a DSOS −4 key with TRL 1 when the window allows it', async () => {
      const body = v3Body(OK, [wireKey({ daysAgo: 9 })], { onsetDaysAgo: 5 });
      const res = await put(app({ infectiousWindow: { symptom: [-5, 10] } }), '/api/v3/diagnosis', body);
      expect(res.statusCode).toBe(200);
      expect(await storedTrl()).toEqual([1]);
    });

    it('v3 retries with the same idempotency_key store each key once', async () => {
      const body = v3Body(OK, [wireKey(), wireKey({ daysAgo: 2 })]);
      const a = app();
      expect((await put(a, '/api/v3/diagnosis', body)).statusCode).toBe(200);
      expect((await put(a, '/api/v3/diagnosis', body)).statusCode).toBe(200);
      expect((await countKeys(db)).total).toBe(2);
    });

    for (const [route, body] of [
      ['/api/diagnosis', v1Body(OK)],
      ['/api/v2/diagnosis', v2Body(OK)],
      ['/api/v3/diagnosis', v3Body(OK)],
    ] as const) {
      it(`${route}: the identical retry gets the original success, even when HER-SYS now refuses or is down; other keys get 406`, async () => {
        const a = app();
        const first = await put(a, route, body);
        expect(first.statusCode).toBeLessThan(300);
        // A one-time HER-SYS now says ALREADY_USED; then it is down: the stored upload still succeeds.
        hersys.use(...hersysHandlers({ [OK]: 'ALREADY_USED' }, calls));
        expect((await put(a, route, { ...body, padding: 'other' })).statusCode).toBe(first.statusCode);
        hersys.use(...failingHersys.status(500));
        expect((await put(a, route, body)).statusCode).toBe(first.statusCode);
        expect((await countKeys(db)).total).toBe(1);
        hersys.reset(...hersysHandlers(RESULTS, calls));
        // Another submission: another phone's keys, and its own userUuid (v1) or idempotency_key (v3).
        const other = await put(a, route, {
          ...body,
          keys: [wireKey({ reportType: 1 })],
          ...(route === '/api/diagnosis' ? { userUuid: 'b'.repeat(32) } : {}),
          ...(route === '/api/v3/diagnosis'
            ? { idempotency_key: '0a0b0c0d-2222-4333-8444-955566667777' }
            : {}),
        });
        expect(other.statusCode).toBe(406);
        expect(other.json().detail).toMatch(/ALREADY_USED/);
        expect((await countKeys(db)).total).toBe(1);
      });
    }

    for (const [route, build] of [
      ['/api/diagnosis', v1Body],
      ['/api/v2/diagnosis', v2Body],
      [
        '/api/v3/diagnosis',
        (n: string, keys: ReturnType<typeof wireKey>[]) => v3Body(n, keys, { onsetDaysAgo: 3 }),
      ],
    ] as const) {
      it(`${route}: a retry of the same submission with a changed key set succeeds and stores the union`, async () => {
        const a = app();
        const [older, yesterday] = [
          wireKey({ daysAgo: 2, reportType: 1 }),
          wireKey({ daysAgo: 1, reportType: 1 }),
        ];
        const first = await put(a, route, build(OK, [older, yesterday]));
        expect(first.statusCode).toBeLessThan(300);
        // The day rolled: the phone's history now also holds today's key; HER-SYS has used the number.
        hersys.use(...hersysHandlers({ [OK]: 'ALREADY_USED' }, calls));
        const today = { ...wireKey({ daysAgo: 0, reportType: 1 }), rollingPeriod: 10 };
        expect((await put(a, route, build(OK, [older, yesterday, today]))).statusCode).toBe(first.statusCode);
        expect((await countKeys(db)).total).toBe(3);
        // Today's key re-released with a longer rolling period: the same key, stored once.
        expect(
          (await put(a, route, build(OK, [older, yesterday, { ...today, rollingPeriod: 144 }]))).statusCode,
        ).toBe(first.statusCode);
        expect((await countKeys(db)).total).toBe(3);
      });
    }

    it('keys: [] asks HER-SYS as COCOA does: a number never issued is refused, an accepted one kept for its submission', async () => {
      const a = app();
      const refused = await put(a, '/api/v3/diagnosis', v3Body('77777777', []));
      expect(refused.statusCode).toBe(406);
      expect(refused.json().detail).toMatch(/NOT_FOUND/);
      expect(calls).toHaveLength(1);
      // Accepted with nothing to store; the same submission's later keys are stored (v3: its idempotency_key).
      expect((await put(a, '/api/v3/diagnosis', v3Body(OK, []))).statusCode).toBe(200);
      expect((await countKeys(db)).total).toBe(0);
      expect((await put(a, '/api/v3/diagnosis', v3Body(OK))).statusCode).toBe(200);
      expect((await countKeys(db)).total).toBe(1);
      // Another submission with the number, even with nothing to store: refused.
      expect((await put(a, '/api/v2/diagnosis', v2Body(OK, []))).statusCode).toBe(406);
    });

    it('a key sent by two uploads is stored once', async () => {
      const key = wireKey();
      const a = app();
      expect((await put(a, '/api/v2/diagnosis', v2Body(OK, [key]))).statusCode).toBe(204);
      await db.query('TRUNCATE uploads');
      expect((await put(a, '/api/v2/diagnosis', v2Body(OK, [key, wireKey({ daysAgo: 2 })]))).statusCode).toBe(
        204,
      );
      expect((await countKeys(db)).total).toBe(2);
    });

    it('refuses an onset date that is not on the calendar (2025-02-30) with 400', async () => {
      const res = await put(app(), '/api/v3/diagnosis', {
        ...v3Body(OK),
        onsetOfSymptomOrTestDate: '2025-02-30T00:00:00.000+09:00',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INVALID_ONSET_DATE', field: 'onsetOfSymptomOrTestDate' });
      expect(calls).toHaveLength(0);
    });

    it('X-Chaff is validated, answered 200, neither verified nor stored', async () => {
      const a = app();
      expect((await put(a, '/api/v3/diagnosis', v3Body(OK), { 'x-chaff': '1' })).statusCode).toBe(200);
      expect(
        (await put(a, '/api/v3/diagnosis', { ...v3Body(OK), regions: ['392'] }, { 'x-chaff': '1' }))
          .statusCode,
      ).toBe(400);
      expect(calls).toHaveLength(0);
      expect((await countKeys(db)).total).toBe(0);
    });

    it('drops keys older than 14 days instead of refusing the upload', async () => {
      const res = await put(
        app(),
        '/api/v2/diagnosis',
        v2Body(OK, [wireKey({ daysAgo: 15 }), wireKey({ daysAgo: 3 })]),
      );
      expect(res.statusCode).toBe(204);
      expect((await countKeys(db)).total).toBe(1);
    });

    const required = [
      'verificationPayload',
      'regions',
      'platform',
      'deviceVerificationPayload',
      'appPackageName',
      'keys',
    ];
    for (const field of required) {
      it(`refuses a v2 upload without ${field}: 400 "Invalid parameter"`, async () => {
        const body: Record<string, unknown> = v2Body(OK);
        delete body[field];
        const res = await put(app(), '/api/v2/diagnosis', body);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ error: 'Invalid parameter', code: 'INVALID_PARAMETER', field });
      });
    }
    for (const field of ['userUuid'] as const) {
      it(`refuses a v1 upload with an empty ${field}`, async () => {
        const res = await put(app(), '/api/diagnosis', { ...v1Body(OK), [field]: '' });
        expect(res.json()).toMatchObject({ error: 'Invalid parameter', field });
      });
    }
    for (const field of ['hasSymptom', 'onsetOfSymptomOrTestDate', 'idempotency_key']) {
      it(`refuses a v3 upload without ${field}`, async () => {
        const body: Record<string, unknown> = v3Body(OK);
        delete body[field];
        expect((await put(app(), '/api/v3/diagnosis', body)).json()).toMatchObject({
          code: 'INVALID_PARAMETER',
          field,
        });
      });
    }

    const rejections: [string, () => unknown, string, string, string][] = [
      [
        'a region other than 440',
        () => ({ ...v2Body(OK), regions: ['392'] }),
        'Regions not supported.',
        'REGION_NOT_SUPPORTED',
        'regions[0]',
      ],
      [
        'keyData of 15 bytes',
        () => v2Body(OK, [wireKey({ keyData: Buffer.alloc(15).toString('base64') })]),
        'Invalid parameter',
        'INVALID_KEY_DATA',
        'keys[0].keyData',
      ],
      [
        'keyData that is not base64',
        () => v2Body(OK, [wireKey({ keyData: '!'.repeat(24) })]),
        'Invalid parameter',
        'INVALID_KEY_DATA',
        'keys[0].keyData',
      ],
      [
        'rollingPeriod 0',
        () => v2Body(OK, [wireKey({ rollingPeriod: 0 })]),
        'Invalid parameter',
        'INVALID_ROLLING_PERIOD',
        'keys[0].rollingPeriod',
      ],
      [
        'rollingPeriod 145',
        () => v2Body(OK, [wireKey({ rollingPeriod: 145 })]),
        'Invalid parameter',
        'INVALID_ROLLING_PERIOD',
        'keys[0].rollingPeriod',
      ],
      [
        'a key starting tomorrow',
        () => v2Body(OK, [wireKey({ daysAgo: -1 })]),
        'Invalid parameter',
        'KEY_IN_FUTURE',
        'keys[0].rollingStartNumber',
      ],
      [
        'the same key twice',
        () => {
          const k = wireKey();
          return v2Body(OK, [k, { ...k }]);
        },
        'Invalid parameter',
        'DUPLICATE_KEY',
        'keys[1].keyData',
      ],
      [
        '31 keys',
        () =>
          v2Body(
            OK,
            Array.from({ length: 31 }, () => wireKey()),
          ),
        'Invalid parameter',
        'TOO_MANY_KEYS',
        'keys',
      ],
      [
        'a 7-digit processing number',
        () => v2Body('1234567'),
        'Invalid parameter',
        'INVALID_PROCESSING_NUMBER',
        'verificationPayload',
      ],
      [
        'rollingStartNumber as a string',
        () => v2Body(OK, [{ ...wireKey(), rollingStartNumber: '2659680' } as never]),
        'Invalid parameter',
        'INVALID_PARAMETER',
        'keys[0].rollingStartNumber',
      ],
    ];
    for (const [what, make, error, code, field] of rejections) {
      it(`refuses ${what} with 400 ${code} before asking HER-SYS`, async () => {
        const res = await put(app(), '/api/v2/diagnosis', make());
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ error, code, field });
        expect(calls).toHaveLength(0);
        expect((await countKeys(db)).total).toBe(0);
      });
    }

    it('refuses a v1 transmissionRisk of 9 and a v3 reportType of 6', async () => {
      expect(
        (await put(app(), '/api/diagnosis', v1Body(OK, [wireKey({ transmissionRisk: 9 })]))).json().code,
      ).toBe('INVALID_TRANSMISSION_RISK');
      expect(
        (await put(app(), '/api/v3/diagnosis', v3Body(OK, [wireKey({ reportType: 6 })]))).json().code,
      ).toBe('INVALID_REPORT_TYPE');
    });

    it('refuses an unparsable onset date', async () => {
      const res = await put(app(), '/api/v3/diagnosis', {
        ...v3Body(OK),
        onsetOfSymptomOrTestDate: 'yesterday',
      });
      expect(res.json()).toMatchObject({ code: 'INVALID_ONSET_DATE', field: 'onsetOfSymptomOrTestDate' });
    });

    it('answers 413 to a body over the limit', async () => {
      const res = await put(app({ limits: { bodyLimitBytes: 4096 } }), '/api/v2/diagnosis', {
        ...v2Body(OK),
        padding: 'A'.repeat(8000),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers 400 to broken JSON', async () => {
      const res = await app().inject({
        method: 'PUT',
        url: '/api/v2/diagnosis',
        payload: '{"keys":',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('Invalid parameter');
    });

    it('requires x-functions-key when an apiSecret is configured', async () => {
      const a = app({ apiSecret: 'functions-secret' });
      expect((await put(a, '/api/v2/diagnosis', v2Body(OK))).statusCode).toBe(401);
      expect((await a.inject({ method: 'POST', url: '/api/register' })).statusCode).toBe(401);
      expect(
        (await put(a, '/api/v2/diagnosis', v2Body(OK), { 'x-functions-key': 'functions-secret' })).statusCode,
      ).toBe(204);
      expect((await a.inject({ method: 'GET', url: '/c19r/440/list.json' })).statusCode).toBe(200);
    });

    it('sends HER-SYS the number under the configured parameter, with Accept and the subscription key', async () => {
      await put(
        app({ hersys: { url: hersys.url, subscriptionKey: 'apim-key' } }),
        '/api/v2/diagnosis',
        v2Body(OK),
      );
      expect(calls).toHaveLength(1);
      expect(JSON.parse(calls[0]!.body)).toEqual({
        processingNumber: OK,
        uploadId: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(calls[0]!.headers.accept).toBe('application/json');
      expect(calls[0]!.headers['ocp-apim-subscription-key']).toBe('apim-key');
    });

    for (const [number, result] of Object.entries(RESULTS).filter(
      ([, r]) => r !== 'OK' && r !== 'SOMETHING_NEW',
    )) {
      it(`maps HER-SYS ${result} to 406 and stores nothing`, async () => {
        const res = await put(app(), '/api/v2/diagnosis', v2Body(number));
        expect(res.statusCode).toBe(406);
        expect(res.json()).toMatchObject({ error: 'Bad VerificationPayload', code: 'VERIFICATION_REJECTED' });
        expect((await countKeys(db)).total).toBe(0);
      });
    }
    it('maps NOT_FOUND to 406 and an unknown result code to 503', async () => {
      expect((await put(app(), '/api/v2/diagnosis', v2Body('12345678'))).statusCode).toBe(406);
      expect((await put(app(), '/api/v2/diagnosis', v2Body('66666666'))).statusCode).toBe(503);
    });
    it('uses a configured status table', async () => {
      const res = await put(
        app({ hersys: { url: hersys.url, statusTable: { OK: 200, EXPIRED: 410 } } }),
        '/api/v2/diagnosis',
        v2Body('33333333'),
      );
      expect(res.statusCode).toBe(410);
    });

    const failures: [string, () => ReturnType<typeof failingHersys.hang>][] = [
      ['answers 500', () => failingHersys.status(500)],
      ['answers 429', () => failingHersys.status(429)],
      ['never answers (timeout)', () => failingHersys.hang()],
      ['drops the connection', () => failingHersys.networkError()],
      ['answers HTML', () => failingHersys.notJson()],
    ];
    for (const [what, handlers] of failures) {
      it(`answers 503 when HER-SYS ${what}`, async () => {
        hersys.use(...handlers());
        const res = await put(
          app({ hersys: { url: hersys.url, timeoutMs: 200 } }),
          '/api/v2/diagnosis',
          v2Body(OK),
        );
        expect(res.statusCode).toBe(503);
        expect(res.json().code).toBe('VERIFICATION_UNAVAILABLE');
        expect((await countKeys(db)).total).toBe(0);
      });
    }
    it('answers 503 when no HER-SYS is configured', async () => {
      expect((await put(app({ hersys: {} }), '/api/v2/diagnosis', v2Body(OK))).statusCode).toBe(503);
    });

    it('with device verification on, refuses a wrong nonce and accepts SHA-256 of the ClearText', async () => {
      const a = app({ deviceVerification: { enabled: true } });
      const body = v2Body(OK);
      const bad = await put(a, '/api/v2/diagnosis', body);
      expect(bad.json()).toMatchObject({ error: 'Invalid Device', code: 'INVALID_DEVICE' });
      expect(calls).toHaveLength(0);
      const nonce = createHash('sha256').update(deviceClearText('v2', body)).digest('base64');
      expect(
        (await put(a, '/api/v2/diagnosis', { ...body, deviceVerificationPayload: nonce })).statusCode,
      ).toBe(204);
    });

    it('serves health, readiness, verification keys and list.json', async () => {
      const a = app();
      expect((await a.inject('/health')).json()).toEqual({ status: 'ok' });
      expect((await a.inject('/ready')).statusCode).toBe(200);
      expect((await a.inject('/c19r/verification-keys.json')).json()).toEqual([
        { keyId: '440', version: 'v1', publicKeyBase64: 'AAAA' },
      ]);
      expect((await a.inject('/c19r/440/list.json')).json()).toEqual([]);
      expect((await a.inject('/c19r/440/1.zip')).statusCode).toBe(404);
    });

    it('admin publish requires the bearer token', async () => {
      const a = app();
      expect((await a.inject({ method: 'POST', url: '/api/admin/publish' })).statusCode).toBe(401);
      const ok = await a.inject({
        method: 'POST',
        url: '/api/admin/publish',
        headers: { authorization: 'Bearer admin-token-123' },
      });
      expect(ok.json()).toEqual({ ok: true, files: [], detail: 'none' });
    });
  });
}

describe('exposure configuration sets', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({});
  });
  afterAll(() => db.close());
  const serve = (configSet: ReferenceServerConfigInput['configSet']) => {
    const cfg = parseServerConfig({ configSet });
    return buildApp({
      config: cfg,
      adminToken: 'x'.repeat(10),
      db,
      exposureConfiguration: loadExposureConfigurationSet(cfg.configSet),
      verificationKeys: [],
      cdnUrlBase: () => '/',
      publish: async () => ({ ok: true, files: [], detail: '' }),
      logLine: () => {},
    });
  };
  it('cocoa-1.1.3 serves min 1 with attenuation scores [0,0,0,0,1,1,1,1] and no 2.x documents', async () => {
    const a = serve('cocoa-1.1.3');
    expect((await a.inject('/c19r/Configration.json')).json()).toMatchObject({
      MinimumRiskScore: 1,
      AttenuationScores: [0, 0, 0, 0, 1, 1, 1, 1],
    });
    expect((await a.inject('/c19r/exposure_configuration/configuration.json')).statusCode).toBe(404);
  });
  it('cocoa-1.1.4 serves min 21, attenuation [1..8], transmission [7×8]', async () => {
    const body = (await serve('cocoa-1.1.4').inject('/c19r/Configration.json')).json();
    expect(body).toMatchObject({
      MinimumRiskScore: 21,
      AttenuationScores: [1, 2, 3, 4, 5, 6, 7, 8],
      TransmissionRiskScores: [7, 7, 7, 7, 7, 7, 7, 7],
    });
  });
  it('cocoa-2.x serves configuration.json and the risk thresholds 1350 / 900', async () => {
    const a = serve('cocoa-2.x');
    const cfg = (await a.inject('/c19r/exposure_configuration/configuration.json')).json();
    expect(cfg.google_exposure_config.minimum_risk_score).toBe(21);
    expect(cfg.google_daily_summaries_config.attenuation_bucket_threshold_db).toEqual([46, 60, 65]);
    const risk = (await a.inject('/c19r/exposure_configuration/risk_calculation_configuration.json')).json();
    expect(risk.DailySummary_DaySummary_ScoreSum).toEqual({ op: '>=', value: 1350 });
    expect(risk.ExposureWindow_ScanInstance_SecondsSinceLastScanSum).toEqual({ op: '>=', value: 900 });
  });
});

describe('readiness', () => {
  it('answers /ready 503 once the database is gone, while /health stays 200', async () => {
    const db = await openDatabase({});
    const a = buildApp({
      config: parseServerConfig({}),
      adminToken: 'x'.repeat(10),
      db,
      exposureConfiguration: new Map(),
      verificationKeys: [],
      cdnUrlBase: () => '/',
      publish: async () => ({ ok: true, files: [], detail: '' }),
      logLine: () => {},
    });
    expect((await a.inject('/ready')).statusCode).toBe(200);
    await db.close();
    expect((await a.inject('/ready')).statusCode).toBe(503);
    expect((await a.inject('/health')).statusCode).toBe(200);
  });
});
