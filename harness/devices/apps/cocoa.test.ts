/** Each build's upload, as the recorded HTTP requests show it (cocoa.md §1.2, §1.3). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-server.js';
import type { DeviceProfile } from '../types.js';
import { World } from '../world.js';
import { loadAppBuild } from './registry.js';

const DAY0 = 1_601_510_400;
const NOW = DAY0 + 20 * 86_400 + 3 * 3600; // keys exist from DAY0: some are older than 14 days
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
  server.routes.set('POST /api/register', {
    status: 200,
    body: JSON.stringify({ userUuid: 'u-123', secret: 's-456', jumpConsistentSeed: 1 }),
  });
  for (const p of ['/api/diagnosis', '/api/v2/diagnosis'])
    server.routes.set(`PUT ${p}`, { status: 204, body: '' });
  server.routes.set('PUT /api/v3/diagnosis', { status: 200, body: '{}' });
});
afterEach(async () => {
  await server.close();
});

function uploaderWithHistory(
  app: string,
  platform: 'android' | 'ios' = 'android',
  os: Partial<Pick<DeviceProfile, 'osVersion' | 'enVersion'>> = {},
) {
  const world = new World({ seed: 5 });
  const profile: DeviceProfile = {
    id: 'u',
    platform,
    osVersion: os.osVersion ?? (platform === 'ios' ? '14.4' : '11'),
    enVersion: os.enVersion ?? 1,
    model: 'Pixel 4',
    app,
    backgroundCheckRuns: true,
    clockSkewSeconds: 0,
  };
  const u = world.addPhone(profile);
  world.addPhone({ ...profile, id: 'v' });
  // One advertisement per day makes the OS create a key for each of 20 days.
  for (let d = 0; d < 20; d++) u.framework.advertisementAt(DAY0 + d * 86_400 + 3600);
  return u;
}

const body = (path: string) => JSON.parse(server.requests.find((r) => r.path === path)?.body ?? 'null');
const DIAGNOSIS_DATE = '2020-10-19'; // JST; NOW is 2020-10-21

describe('upload bodies', () => {
  it('1.1.3 and 1.1.4: /register then /diagnosis with userUuid, the OS key TRL (0) and keys ≤ 14 days', async () => {
    for (const app of ['cocoa-1.1.3', 'cocoa-1.1.4']) {
      server.requests.length = 0;
      const u = uploaderWithHistory(app);
      const ev = await u.uploadDiagnosis({
        processingNumber: '12345678',
        nowEpochSeconds: NOW,
        server: server.endpoints,
      });
      expect(ev).toMatchObject({
        ok: true,
        endpoint: 'diagnosis',
        httpStatus: 204,
        appMessage: 'registered',
        outcome: 'accepted',
      });
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /api/register',
        'PUT /api/diagnosis',
      ]);
      const b = body('/api/diagnosis');
      expect(b.userUuid).toBe('u-123');
      expect(server.requests[1].headers.authorization).toBe('Bearer s-456');
      expect(b.verificationPayload).toBe('12345678');
      expect(b.regions).toEqual(['440']);
      expect(b.keys.length).toBe(ev.keysSubmitted);
      expect(b.keys.every((k: { transmissionRisk: number }) => k.transmissionRisk === 0)).toBe(true);
      const oldest = Math.min(...b.keys.map((k: { rollingStartNumber: number }) => k.rollingStartNumber));
      expect(oldest * 600).toBeGreaterThanOrEqual(NOW - 14 * 86_400);
      expect(b.keys.length).toBeGreaterThanOrEqual(13);
      expect(Buffer.from(b.keys[0].keyData, 'base64')).toHaveLength(16);
      expect(ev.transmissionRiskLevels.every((t) => t === 0)).toBe(true);
    }
  });

  it('1.2.2: /v2/diagnosis without userUuid or transmissionRisk, keys from diagnosis date − 3 days', async () => {
    const u = uploaderWithHistory('cocoa-1.2.2');
    const ev = await u.uploadDiagnosis({
      processingNumber: '12345678',
      nowEpochSeconds: NOW,
      diagnosisDate: DIAGNOSIS_DATE,
      server: server.endpoints,
    });
    expect(ev).toMatchObject({ ok: true, endpoint: 'v2/diagnosis', httpStatus: 204 });
    expect(server.requests.some((r) => r.path === '/api/register')).toBe(false);
    const b = body('/api/v2/diagnosis');
    expect(b.userUuid).toBeUndefined();
    expect(b.keys.some((k: object) => 'transmissionRisk' in k)).toBe(false);
    const from = Date.parse(`${DIAGNOSIS_DATE}T00:00:00+09:00`) / 1000 - 3 * 86_400;
    expect(b.keys.every((k: { rollingStartNumber: number }) => k.rollingStartNumber * 600 >= from)).toBe(
      true,
    );
    expect(b.keys.length).toBeGreaterThanOrEqual(3);
    expect(b.keys.length).toBeLessThanOrEqual(5);
  });

  it('2.x: /v3/diagnosis with hasSymptom, JST onset date, reportType 1, a fresh idempotency_key, ~15 days', async () => {
    const u = uploaderWithHistory('cocoa-2.x');
    const req = {
      processingNumber: '12345678',
      nowEpochSeconds: NOW,
      diagnosisDate: DIAGNOSIS_DATE,
      hasSymptom: true,
      server: server.endpoints,
    };
    const ev = await u.uploadDiagnosis(req);
    await u.uploadDiagnosis(req);
    expect(ev).toMatchObject({ ok: true, endpoint: 'v3/diagnosis', httpStatus: 200 });
    const [b1, b2] = server.requests
      .filter((r) => r.path === '/api/v3/diagnosis')
      .map((r) => JSON.parse(r.body));
    expect(b1.hasSymptom).toBe(true);
    expect(b1.onsetOfSymptomOrTestDate).toBe('2020-10-19T00:00:00.000+09:00');
    expect(b1.keys.every((k: { reportType: number }) => k.reportType === 1)).toBe(true);
    // The OS releases the previous 13 days (v1 rule); the app keeps all of them (DaysToSendTek −15).
    expect(b1.keys.length).toBe(u.framework.getDiagnosisKeys(NOW).length);
    expect(b1.keys.length).toBeGreaterThanOrEqual(13);
    expect(b1.idempotency_key).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(b2.idempotency_key).not.toBe(b1.idempotency_key);
  });

  it.each([
    ['android', '11', 2, 'cocoa-2.x', true],
    ['ios', '14.4', 2, 'cocoa-2.x', true],
    ['ios', '13.6', 2, 'cocoa-2.x', false], // EN v2 windows need iOS 13.7 (cocoa.md §4.2)
    ['android', '11', 1, 'cocoa-2.x', false],
    ['android', '11', 2, 'cocoa-1.2.2', false],
  ] as const)(
    '%s %s, EN v%i, %s: today’s key sent at once, shortened: %s',
    async (platform, osVersion, enVersion, app, sent) => {
      const u = uploaderWithHistory(app, platform, { osVersion, enVersion });
      u.framework.advertisementAt(NOW - 600); // the phone broadcast today (day 20, interval 17 at NOW)
      const ev = await u.uploadDiagnosis({
        processingNumber: '12345678',
        nowEpochSeconds: NOW,
        diagnosisDate: '2020-10-21',
        hasSymptom: true,
        server: server.endpoints,
      });
      const today = (DAY0 + 20 * 86_400) / 600;
      const todays = (ev.submittedKeys ?? []).filter((k) => k.rollingStartIntervalNumber === today);
      expect(todays).toEqual(sent ? [expect.objectContaining({ rollingPeriod: 19 })] : []);
    },
  );

  it.each([
    [406, 'processing number incorrect or expired', 'rejected'],
    [503, 'cannot connect to registration center', 'retryable'],
    [500, 'cannot connect to registration center', 'retryable'],
    [400, 'problem with the contact record data', 'rejected'],
  ])('status %i → "%s" (%s)', async (status, message, outcome) => {
    server.routes.set('PUT /api/v2/diagnosis', { status, body: 'no' });
    const u = uploaderWithHistory('cocoa-1.2.2');
    const ev = await u.uploadDiagnosis({
      processingNumber: '1',
      nowEpochSeconds: NOW,
      server: server.endpoints,
    });
    expect(ev.ok).toBe(false);
    expect(ev.httpStatus).toBe(status);
    expect(ev.appMessage).toBe(message);
    expect(ev.outcome).toBe(outcome);
  });

  it('no reply at all is retryable', async () => {
    const u = uploaderWithHistory('cocoa-1.2.2');
    const ev = await u.uploadDiagnosis({
      processingNumber: '1',
      nowEpochSeconds: NOW,
      server: { ...server.endpoints, apiUrlBase: 'http://127.0.0.1:9/api/' },
    });
    expect(ev).toMatchObject({ ok: false, httpStatus: null, outcome: 'retryable' });
  });

  it('2.x reuses its idempotency_key on a retry after a failure, and makes a new one after success', async () => {
    const u = uploaderWithHistory('cocoa-2.x');
    const req = { processingNumber: '12345678', nowEpochSeconds: NOW, server: server.endpoints };
    server.routes.set('PUT /api/v3/diagnosis', { status: 503, body: 'down' });
    expect((await u.uploadDiagnosis(req)).outcome).toBe('retryable');
    server.routes.set('PUT /api/v3/diagnosis', { status: 200, body: '{}' });
    expect((await u.uploadDiagnosis(req)).outcome).toBe('accepted');
    await u.uploadDiagnosis(req);
    const keys = server.requests
      .filter((r) => r.path === '/api/v3/diagnosis')
      .map((r) => JSON.parse(r.body).idempotency_key);
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('every request carries x-functions-key', async () => {
    const u = uploaderWithHistory('cocoa-1.1.4');
    await u.uploadDiagnosis({ processingNumber: '1', nowEpochSeconds: NOW, server: server.endpoints });
    expect(server.requests.every((r) => r.headers['x-functions-key'] === 'test-secret')).toBe(true);
  });
});

describe('configuration', () => {
  it('1.1.4 falls back to its hard-coded min 21 / attenuation [1..8] when Configration.json is missing', async () => {
    const app = await loadAppBuild('cocoa-1.1.4');
    const { appHttp } = await import('./http.js');
    const c = await app.fetchConfiguration(server.endpoints, appHttp(server.endpoints));
    expect(c.documents.map((d) => d.status)).toEqual(['fallback']);
    expect(c.source).toMatch(/Configration\.json: download failed: HTTP 404, fell back to built-in default/);
    expect(c.v1.android.minimumRiskScore).toBe(21);
    expect(c.v1.android.attenuationScores).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('1.1.4 uses the served Configration.json when present', async () => {
    server.routes.set('/c19r/Configration.json', {
      status: 200,
      body: JSON.stringify({
        MinimumRiskScore: 5,
        TransmissionRiskScores: [7, 7, 7, 7, 7, 7, 7, 7],
        AttenuationScores: [1, 2, 3, 4, 5, 6, 7, 8],
        DurationScores: [0, 0, 0, 0, 1, 1, 1, 1],
        DaysSinceLastExposureScores: [1, 1, 1, 1, 1, 1, 1, 1],
        DurationAtAttenuationThresholds: [50, 70],
      }),
    });
    const app = await loadAppBuild('cocoa-1.1.4');
    const { appHttp } = await import('./http.js');
    const c = await app.fetchConfiguration(server.endpoints, appHttp(server.endpoints));
    expect(c.v1.ios.minimumRiskScore).toBe(5);
    expect(c.documents.map((d) => d.status)).toEqual(['served']);
  });

  it('2.x names the member it could not parse and falls back for that document only', async () => {
    const { CHINO_DEFAULT, RISK_CALCULATION_DEFAULT } = await import('./builtin-defaults.js');
    const broken = structuredClone(CHINO_DEFAULT) as Record<string, Record<string, unknown>>;
    broken.google_daily_summaries_config.report_type_weights = { ConfirmedTest: 'high' };
    server.routes.set('/c19r/exposure_configuration/configuration.json', {
      status: 200,
      body: JSON.stringify(broken),
    });
    server.routes.set('/c19r/exposure_configuration/risk_calculation_configuration.json', {
      status: 200,
      body: JSON.stringify({
        ...RISK_CALCULATION_DEFAULT,
        DailySummary_DaySummary_ScoreSum: { op: '>', value: 7 },
      }),
    });
    const app = await loadAppBuild('cocoa-2.x');
    const { appHttp } = await import('./http.js');
    const c = await app.fetchConfiguration(server.endpoints, appHttp(server.endpoints));
    expect(c.documents.map((d) => d.status)).toEqual(['fallback', 'served']);
    expect(c.source).toContain(
      'configuration configuration.json: parse error at member google_daily_summaries_config.report_type_weights.ConfirmedTest: expected a number, got "high", fell back to built-in default',
    );
    expect(c.v2?.riskCalculation.scoreSum).toEqual({ op: '>', value: 7 });
    expect(c.v2?.android.reportTypeWeights[1]).toBe(1);
  });

  it('a vendor module path loads its exported AppBuild', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'ichiren-appbuild-'));
    try {
      const file = join(dir, 'vendor.mjs');
      writeFileSync(
        file,
        `export default { id: 'vendor-x', description: 'test', enApi: 1, saveLastProcessedOnlyAfterSuccess: false,
          prepareUpload: async () => ({ endpoint: 'x', keys: [], transmissionRiskLevels: [], body: {} }),
          fetchConfiguration: async () => ({}), decide: () => ({}) };`,
      );
      expect((await loadAppBuild(file)).id).toBe('vendor-x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('unknown build ids fail with a clear error', async () => {
    await expect(loadAppBuild('cocoa-9.9')).rejects.toThrow(/unknown app build "cocoa-9.9"/);
  });
});
