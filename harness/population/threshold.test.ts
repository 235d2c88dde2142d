import { describe, expect, it } from 'vitest';
import { loadAppBuild } from '../devices/apps/registry.js';
import type { AppHttp } from '../devices/apps/types.js';
import type { Platform } from '../devices/types.js';
import type { ServerEndpoints } from '../stack/types.js';
import { distanceForAttenuation, effectiveThreshold, PROBE_MAX_DB, type ProbeKey } from './threshold.js';

// No server: every build falls back to its built-in configuration (the one its release serves).
const offline: AppHttp = { request: async () => ({ status: 404, text: '' }) };
const server: ServerEndpoints = {
  apiUrlBase: 'http://127.0.0.1:9/api',
  cdnUrlBase: 'http://127.0.0.1:9/',
  blobContainer: 'c19r',
  region: '440',
  apiSecret: '',
  verificationKeys: [],
};
const DAY = Date.UTC(2026, 10, 20) / 1000;

async function probe(appId: string, platform: Platform, path: 'v1' | 'v2', key: ProbeKey) {
  const app = await loadAppBuild(appId);
  const config = await app.fetchConfiguration(server, offline);
  return effectiveThreshold({ platform, path, app, config, key, dayStart: DAY, osVersion: 'x', appId });
}

describe('effective threshold of a build', () => {
  it('inverts the indoor fit: 63 dB is about 3 m, the mean at 1 m is about 51 dB', () => {
    expect(distanceForAttenuation(63)).toBeGreaterThan(2.9);
    expect(distanceForAttenuation(63)).toBeLessThan(3.3);
    expect(distanceForAttenuation(50.87)).toBeCloseTo(1, 2);
  });

  it('COCOA 1.2.2 with TRL 4 notifies up to 63 dB (att bucket > 63 scores 2 × 7 < 21), over 15 minutes', async () => {
    for (const platform of ['android', 'ios'] as const) {
      const t = await probe('cocoa-1.2.2', platform, 'v1', { transmissionRiskLevel: 4, reportType: 0 });
      expect(t.attenuationDb).toBe(63);
      expect(t.distanceM).toBeCloseTo(distanceForAttenuation(63), 1);
      // Duration bucket 1 needs > 15 min; the framework pads a run by 2.5 min each side.
      expect(t.minutesAt1m).toBeGreaterThan(10);
      expect(t.minutesAt1m).toBeLessThanOrEqual(20);
    }
  });

  it('COCOA 1.1.4 with TRL 0 never notifies on Android, and notifies up to 63 dB on iOS', async () => {
    const key = { transmissionRiskLevel: 0, reportType: 0 };
    const android = await probe('cocoa-1.1.4', 'android', 'v1', key);
    expect(android.attenuationDb).toBeNull();
    expect(android.distanceM).toBeNull();
    expect(android.minutesAt1m).toBeNull();
    expect((await probe('cocoa-1.1.4', 'ios', 'v1', key)).attenuationDb).toBe(63);
  });

  it('COCOA 1.1.3 notifies on any match: no attenuation limit', async () => {
    const t = await probe('cocoa-1.1.3', 'android', 'v1', { transmissionRiskLevel: 0, reportType: 0 });
    expect(t.attenuationDb).toBe(PROBE_MAX_DB);
  });

  it('COCOA 2.x on EN v2 notifies a 30-minute contact up to its 65 dB bucket edge, and at 1 m after 15 minutes of scans', async () => {
    const t = await probe('cocoa-2.x', 'android', 'v2', {
      transmissionRiskLevel: 4,
      reportType: 1,
      daysSinceOnsetOfSymptoms: 0,
    });
    expect(t.attenuationDb).toBe(65);
    // ≥ 900 s since the last scan: with a scan every 4 min the first scan brings the 4 min before it.
    expect(t.minutesAt1m).toBeGreaterThanOrEqual(10);
    expect(t.minutesAt1m).toBeLessThanOrEqual(15);
  });
});
