import { describe, expect, it } from 'vitest';
import { constantScans, describeScriptedScans, scriptedSightings } from './scripted-scans.js';
import { testProfile } from './test-profile.js';
import { World } from './world.js';

const T0 = Date.UTC(2026, 10, 20, 3, 0) / 1000;
const profile = (id: string, platform: 'android' | 'ios') =>
  testProfile(id, platform, { app: 'cocoa-1.2.2' });

describe('exact radio', () => {
  it('one scan per interval that starts before the end', () => {
    expect(constantScans(63, 1200, 300)).toEqual([63, 63, 63, 63]);
    expect(constantScans(63, 900, 300)).toHaveLength(3);
    expect(constantScans(63, 901, 300)).toHaveLength(4);
  });

  it('reports exactly the scripted attenuation and the scan times, with the previous scan one interval back', () => {
    const adv = {
      advertisementAt: (t: number) => ({ rpi: new Uint8Array([t % 256]), aem: new Uint8Array(4) }),
    };
    const out = scriptedSightings(
      adv,
      { txPower: -20 },
      { clockSkewSeconds: 0 },
      { clockSkewSeconds: 0 },
      {
        startEpochSeconds: T0,
        scripted: { attenuationsDb: [55, 70], scanIntervalSeconds: 300 },
      },
    );
    expect(out).toHaveLength(32);
    expect(new Set(out.slice(0, 16).map((s) => -20 - s.rssi))).toEqual(new Set([55]));
    expect(new Set(out.slice(16).map((s) => -20 - s.rssi))).toEqual(new Set([70]));
    expect(out[0]).toMatchObject({ epochSeconds: T0, previousScanEpochSeconds: T0 - 296 });
    expect(out[16]).toMatchObject({ epochSeconds: T0 + 300, previousScanEpochSeconds: T0 + 4 });
    expect(out.every((s) => s.epochSeconds - (s.epochSeconds >= T0 + 300 ? T0 + 300 : T0) < 4)).toBe(true);
    expect(describeScriptedScans({ attenuationsDb: [55, 55], scanIntervalSeconds: 300 })).toBe(
      'exact radio: 55 dB × 2 scans, every 300 s',
    );
  });

  it("enters the world like radio sightings: the sender's real RPIs, the same for every seed", () => {
    const run = (seed: number) => {
      const w = new World({ seed });
      w.addPhone(profile('a', 'android'));
      w.addPhone(profile('b', 'ios'));
      return w.encounter({
        a: 'a',
        b: 'b',
        startEpochSeconds: T0,
        durationSeconds: 1200,
        distanceM: 0,
        environment: 'office',
        scripted: { attenuationsDb: [63, 63, 63, 63], scanIntervalSeconds: 300 },
      });
    };
    const ev = run(1);
    expect(ev.attenuationAtB).toEqual({ min: 63, mean: 63, max: 63 });
    expect(ev.attenuationAtA).toEqual({ min: 63, mean: 63, max: 63 });
    expect(ev.sightingsAtB).toBe(64);
    // 20 minutes from 12:00 JST span two 10-minute RPI intervals.
    expect(ev.distinctRpisAtB).toBe(2);
    const other = run(2);
    expect({ ...other }).toMatchObject({ sightingsAtB: 64, attenuationAtB: ev.attenuationAtB });
  });
});
