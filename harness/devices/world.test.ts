import { describe, expect, it } from 'vitest';
import type { Sighting } from './sighting.js';
import type { DeviceProfile } from './types.js';
import { World } from './world.js';

const DAY0 = 1_601_510_400;
const profile = (id: string, extra: Partial<DeviceProfile> = {}): DeviceProfile => ({
  id,
  platform: 'android',
  osVersion: '11',
  enVersion: 1,
  model: 'Pixel 4',
  app: 'cocoa-1.1.4',
  backgroundCheckRuns: true,
  clockSkewSeconds: 0,
  ...extra,
});
const spec = {
  a: 'a',
  b: 'b',
  startEpochSeconds: DAY0 + 3600,
  durationSeconds: 1200,
  distanceM: 1,
  environment: 'office' as const,
};

describe('World', () => {
  it('an encounter fills both frameworks with sightings of the other phone', () => {
    const w = new World({ seed: 1 });
    const a = w.addPhone(profile('a'));
    const b = w.addPhone(profile('b', { platform: 'ios', osVersion: '14.4', model: 'iPhone 11' }));
    const ev = w.encounter(spec);
    expect(ev.sightingsAtB).toBeGreaterThan(40);
    expect(ev.sightingsAtA).toBeGreaterThan(40);
    expect(b.framework.sightingCount()).toBe(ev.sightingsAtB);
    expect(a.framework.sightingCount()).toBe(ev.sightingsAtA);
    expect(ev.attenuationAtB?.mean).toBeLessThan(63);
  });

  it('names the draws of its seed that can move a verdict: simulated radio does, scripted scans do not', () => {
    const simulated = new World({ seed: 1 });
    simulated.addPhone(profile('a'));
    simulated.addPhone(profile('b'));
    expect(simulated.modelDraws()).toEqual([]);
    simulated.encounter(spec);
    expect(simulated.modelDraws()).toEqual(['radio']);
    const exact = new World({ seed: 1 });
    exact.addPhone(profile('a'));
    exact.addPhone(profile('b'));
    exact.encounter({ ...spec, scripted: { attenuationsDb: [55, 55], scanIntervalSeconds: 300 } });
    expect(exact.modelDraws()).toEqual([]);
  });

  it("a phone's clock skew offsets the timestamps it records", () => {
    const heard = (skew: number) => {
      const w = new World({ seed: 2 });
      w.addPhone(profile('a'));
      const b = w.addPhone(profile('b', { clockSkewSeconds: skew }));
      const got: Sighting[] = [];
      Object.assign(b.framework, { recordSighting: (s: Sighting) => got.push(s) });
      w.encounter(spec);
      return got;
    };
    const base = heard(0);
    const skewed = heard(3600);
    expect(skewed.map((s) => s.epochSeconds - 3600)).toEqual(base.map((s) => s.epochSeconds));
    expect(skewed.map((s) => Buffer.from(s.rpi).toString('hex'))).toEqual(
      base.map((s) => Buffer.from(s.rpi).toString('hex')),
    );
  });

  it('rejects duplicate and unknown phones with stable codes', () => {
    const w = new World({ seed: 1 });
    w.addPhone(profile('a'));
    expect(() => w.addPhone(profile('a'))).toThrow(expect.objectContaining({ code: 'PHONE_DUPLICATE' }));
    expect(() => w.encounter(spec)).toThrow(expect.objectContaining({ code: 'PHONE_UNKNOWN' }));
  });

  it('in a bus, attenuation barely tells 1 m from 8 m; in an office it does (Leith & Farrell, gaen.md §6)', () => {
    const nearRate = (distanceM: number, environment: 'bus' | 'office') => {
      let near = 0;
      for (let seed = 0; seed < 100; seed++) {
        const w = new World({ seed });
        w.addPhone(profile('a'));
        w.addPhone(profile('b'));
        const ev = w.encounter({ ...spec, distanceM, environment });
        if ((ev.attenuationAtB?.mean ?? 99) <= 63) near++;
      }
      return near / 100;
    };
    expect(Math.abs(nearRate(1, 'bus') - nearRate(8, 'bus'))).toBeLessThan(0.3);
    expect(nearRate(1, 'office') - nearRate(8, 'office')).toBeGreaterThan(0.9);
  });
});
