/**
 * The headline at device level: real phones (framework + radio + app build), a real signed export
 * (writeSignedExport + the test key) served over real HTTP by a tiny local server.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSignedExport } from '../protocol/export/index.js';
import type { TemporaryExposureKey } from '../protocol/tek.js';
import { loadAppBuild } from './apps/index.js';
import { testProfile } from './test-profile.js';
import { publishExport, startTestServer, type TestServer } from './test-server.js';
import type { DeviceProfile, Environment } from './types.js';
import { World } from './world.js';

const DAY0 = 1_601_510_400; // 2020-10-01T00:00:00Z
const CONTACT = DAY0 + 3 * 3600;
const CHECK = DAY0 + 2 * 86_400 + 3600;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const phone = (
  id: string,
  platform: 'android' | 'ios',
  app: string,
  extra: Partial<DeviceProfile> = {},
): DeviceProfile => testProfile(id, platform, { app, ...extra });

const publish = (keys: readonly TemporaryExposureKey[], trl: number, configSet = 'cocoa-1.1.4') =>
  publishExport(server, keys, trl, configSet, { from: DAY0, to: CHECK - 3600 });

interface Case {
  readonly app: string;
  readonly platform: 'android' | 'ios';
  readonly trl: number;
  readonly distanceM?: number;
  readonly durationSeconds?: number;
  readonly environment?: Environment;
  readonly seed?: number;
  readonly profile?: Partial<DeviceProfile>;
  readonly configSet?: string;
}

async function run(c: Case) {
  const world = new World({ seed: c.seed ?? 1 });
  const uploader = world.addPhone(phone('u', 'android', c.app));
  const receiver = world.addPhone(phone('r', c.platform, c.app, c.profile));
  const contact = world.encounter({
    a: 'u',
    b: 'r',
    startEpochSeconds: CONTACT,
    durationSeconds: c.durationSeconds ?? 1200,
    distanceM: c.distanceM ?? 1,
    environment: c.environment ?? 'office',
  });
  publish(
    uploader.framework.getDiagnosisKeys(CHECK),
    c.trl,
    c.configSet ?? (c.app === 'cocoa-1.1.3' ? 'cocoa-1.1.3' : 'cocoa-1.1.4'),
  );
  const evidence = await receiver.detectExposures({ nowEpochSeconds: CHECK, server: server.endpoints });
  return { contact, evidence };
}

describe('COCOA 1.1.4 defect emerges from TRL 0 + Android scoring + min 21 + gate', () => {
  it('TRL 0, 1 m / 20 min office: iOS on 1.1.4 is notified', async () => {
    const { evidence } = await run({ app: 'cocoa-1.1.4', platform: 'ios', trl: 0 });
    expect(evidence.download.signatureVerified).toBe(true);
    expect(evidence.match.matchedKeyCount).toBe(1);
    expect(evidence.match.matchedTransmissionRiskLevels).toEqual([0]);
    expect(evidence.score.value).toBeGreaterThanOrEqual(21);
    expect(evidence.notify.notified).toBe(true);
    expect(evidence.notify.exposureCount).toBeGreaterThan(0);
  });

  it('TRL 0, 1 m / 20 min office: Android on 1.1.4 matches the key but is not notified', async () => {
    const { evidence } = await run({ app: 'cocoa-1.1.4', platform: 'android', trl: 0 });
    expect(evidence.match.matchedKeyCount).toBe(1);
    expect(evidence.score.passed).toBe(false);
    expect(evidence.score.value).toBeLessThan(21);
    expect(evidence.score.explanation).toContain('TRL 0 → android transmission score 1');
    expect(evidence.score.explanation).toContain('= 8');
    expect(evidence.notify.notified).toBe(false);
    expect(evidence.notify.exposureCount).toBe(0);
  });

  for (const app of ['cocoa-1.1.4', 'cocoa-1.2.2']) {
    for (const platform of ['android', 'ios'] as const) {
      it(`TRL 4: ${platform} on ${app} is notified`, async () => {
        const { evidence } = await run({ app, platform, trl: 4 });
        expect(evidence.score.value).toBeGreaterThanOrEqual(21);
        expect(evidence.notify.notified).toBe(true);
      });
    }
  }

  for (const platform of ['android', 'ios'] as const) {
    it(`10 m / 20 min (≈ 75 dB) does not notify ${platform} on 1.1.4 with TRL 4`, async () => {
      const { evidence } = await run({ app: 'cocoa-1.1.4', platform, trl: 4, distanceM: 10 });
      expect(evidence.match.matchedKeyCount).toBe(1);
      expect(evidence.notify.notified).toBe(false);
    });
    it(`1 m / 10 min does not notify ${platform} on 1.1.4 with TRL 4`, async () => {
      const { evidence } = await run({ app: 'cocoa-1.1.4', platform, trl: 4, durationSeconds: 600 });
      expect(evidence.match.matchedKeyCount).toBe(1);
      expect(evidence.notify.notified).toBe(false);
    });
  }

  it('1.1.3 Android with TRL 0 is notified (min 1, no gate)', async () => {
    const { evidence } = await run({ app: 'cocoa-1.1.3', platform: 'android', trl: 0 });
    expect(evidence.match.matchedKeyCount).toBe(1);
    expect(evidence.notify.notified).toBe(true);
  });

  it('the outcome holds across seeds (20 each): iOS always, Android never on 1.1.4 with TRL 0', async () => {
    let ios = 0;
    let android = 0;
    for (let seed = 100; seed < 120; seed++) {
      if ((await run({ app: 'cocoa-1.1.4', platform: 'ios', trl: 0, seed })).evidence.notify.notified) ios++;
      if ((await run({ app: 'cocoa-1.1.4', platform: 'android', trl: 0, seed })).evidence.notify.notified)
        android++;
    }
    expect(ios).toBeGreaterThanOrEqual(19);
    expect(android).toBe(0);
  });
});

describe('phone: check mechanics', () => {
  it('does not run when the background check is stopped, unless forced', async () => {
    const world = new World({ seed: 1 });
    const r = world.addPhone(phone('r', 'android', 'cocoa-1.1.4', { backgroundCheckRuns: false }));
    publish([], 0);
    const skipped = await r.detectExposures({ nowEpochSeconds: CHECK, server: server.endpoints });
    expect(skipped.ran).toBe(false);
    expect(server.requests).toHaveLength(0);
    const forced = await r.detectExposures({
      nowEpochSeconds: CHECK,
      server: server.endpoints,
      forced: true,
    });
    expect(forced.ran).toBe(true);
  });

  it('downloads only list.json entries created after the last processed one', async () => {
    const { evidence } = await run({ app: 'cocoa-1.1.4', platform: 'ios', trl: 4 });
    expect(evidence.download.filesFetched).toBe(1);
    const world = new World({ seed: 1 });
    const r = world.addPhone(phone('r2', 'ios', 'cocoa-1.1.4'));
    await r.detectExposures({ nowEpochSeconds: CHECK, server: server.endpoints });
    const again = await r.detectExposures({ nowEpochSeconds: CHECK + 3600, server: server.endpoints });
    expect(again.download.listEntries).toBe(1);
    expect(again.download.filesFetched).toBe(0);
  });

  it.each([
    [true, 1],
    [false, 0],
  ])(
    'Android: a file with a bad signature fails the call; saving only after success %s → %i file(s) fetched again',
    async (afterSuccess, again) => {
      const build = await loadAppBuild('cocoa-2.x');
      const world = new World({
        seed: 1,
        resolveApp: async () => ({ ...build, saveLastProcessedOnlyAfterSuccess: afterSuccess }),
      });
      const u = world.addPhone(phone('u', 'android', 'cocoa-2.x'));
      const r = world.addPhone(phone('r', 'android', 'cocoa-2.x', { enVersion: 2 }));
      world.encounter({
        a: 'u',
        b: 'r',
        startEpochSeconds: CONTACT,
        durationSeconds: 1800,
        distanceM: 1,
        environment: 'office',
      });
      const keys = u.framework.getDiagnosisKeys(CHECK);
      publish(keys, 4, 'cocoa-2.x');
      const good = server.routes.get('/c19r/440/1.zip');
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const header = {
        startTimestamp: DAY0,
        endTimestamp: CHECK - 3600,
        region: '440',
        batchNum: 1,
        batchSize: 1,
      };
      const { zip: foreign } = writeSignedExport({ ...header, keys, revisedKeys: [] }, [
        { keyId: '440', version: 'v1', privateKey },
      ]);
      server.routes.set('/c19r/440/1.zip', { status: 200, body: foreign, type: 'application/zip' });
      const failed = await r.detectExposures({ nowEpochSeconds: CHECK, server: server.endpoints });
      expect(failed.download).toMatchObject({ ok: false, filesFetched: 1 });
      expect(failed.download.error).toContain('API_EXCEPTION_10');
      expect(failed.match.matchedKeyCount).toBe(0);
      server.routes.set('/c19r/440/1.zip', good as NonNullable<typeof good>);
      const next = await r.detectExposures({ nowEpochSeconds: CHECK + 3600, server: server.endpoints });
      expect(next.download.filesFetched).toBe(again);
      expect(next.match.matchedKeyCount).toBe(again);
    },
  );

  it('skips entries it already processed before the scenario, and fetches newer ones', async () => {
    await run({ app: 'cocoa-1.1.4', platform: 'ios', trl: 4 }); // publishes one file
    const world = new World({ seed: 1 });
    const r = world.addPhone(phone('r3', 'ios', 'cocoa-1.1.4'));
    r.markProcessedUpTo(server.endpoints.region, Number.MAX_SAFE_INTEGER);
    const skipped = await r.detectExposures({ nowEpochSeconds: CHECK, server: server.endpoints });
    expect(skipped.download.listEntries).toBe(1);
    expect(skipped.download.filesFetched).toBe(0);
    const fresh = world.addPhone(phone('r4', 'ios', 'cocoa-1.1.4'));
    fresh.markProcessedUpTo(server.endpoints.region, 0);
    expect(
      (await fresh.detectExposures({ nowEpochSeconds: CHECK, server: server.endpoints })).download
        .filesFetched,
    ).toBe(1);
  });

  it('every request carries x-functions-key', async () => {
    await run({ app: 'cocoa-1.1.4', platform: 'android', trl: 0 });
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.headers['x-functions-key'] === 'test-secret')).toBe(true);
  });

  it('2.x on iOS 13.7+ with EN v2 uses ExposureWindows; iOS 13.6 takes the legacy v1 path', async () => {
    const v2 = await run({
      app: 'cocoa-2.x',
      platform: 'ios',
      trl: 4,
      configSet: 'cocoa-2.x',
      profile: { enVersion: 2 },
    });
    expect(v2.evidence.score.mode).toBe('v2');
    expect(v2.evidence.score.threshold).toBe(1350);
    const legacy = await run({
      app: 'cocoa-2.x',
      platform: 'ios',
      trl: 4,
      configSet: 'cocoa-2.x',
      profile: { enVersion: 2, osVersion: '13.6' },
    });
    expect(legacy.evidence.score.mode).toBe('v1');
    expect(legacy.evidence.score.threshold).toBe(21);
  });

  for (const platform of ['android', 'ios'] as const) {
    it(`2.x EN v2 on ${platform}: 1 m / 20 min is a high-risk day; 1 m / 10 min and 10 m / 20 min are not`, async () => {
      const base = {
        app: 'cocoa-2.x',
        platform,
        trl: 4,
        configSet: 'cocoa-2.x',
        profile: { enVersion: 2 as const },
      };
      const near = await run(base);
      expect(near.evidence.score.mode).toBe('v2');
      expect(near.evidence.notify.notified).toBe(true);
      expect((await run({ ...base, durationSeconds: 600 })).evidence.notify.notified).toBe(false);
      expect((await run({ ...base, distanceM: 10 })).evidence.notify.notified).toBe(false);
    });
  }

  it('a file signed by a key the OS does not trust is rejected', async () => {
    const world = new World({ seed: 1 });
    const u = world.addPhone(phone('u', 'android', 'cocoa-1.1.4'));
    const r = world.addPhone(phone('r', 'ios', 'cocoa-1.1.4'));
    world.encounter({
      a: 'u',
      b: 'r',
      startEpochSeconds: CONTACT,
      durationSeconds: 1200,
      distanceM: 1,
      environment: 'office',
    });
    publish(u.framework.getDiagnosisKeys(CHECK), 4);
    const untrusted = { ...server.endpoints, verificationKeys: [] };
    const ev = await r.detectExposures({ nowEpochSeconds: CHECK, server: untrusted });
    expect(ev.download.signatureVerified).toBe(false);
    expect(ev.notify.notified).toBe(false);
  });
});
