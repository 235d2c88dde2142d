import { describe, expect, it } from 'vitest';
import { testProfile } from '../test-profile.js';
import type { DeviceProfile } from '../types.js';
import { World } from '../world.js';
import { MEASUREMENTS } from './fit.js';
import { DEFAULT_SENSITIVITY_DBM } from './hardware.js';
import { type Advertiser, heard, type Listener, simulateLink } from './link.js';
import { meanPathLossDb } from './path-loss.js';
import { type Rng, seededRng } from './random.js';
import { advertisementTimes, SCAN_POLICIES, scanWindows } from './scanner.js';

const DAY0 = 1_601_510_400;
const profile = testProfile;

/** Seeded timing, but every loss draw is exactly the mean: attenuation can be checked to the dB. */
const noiseless = (label: string): Rng => ({ ...seededRng(label), normal: () => 0 });

const sender = (advertisedTxPower: number, trueTxPower: number): Advertiser => ({
  advertisementAt: () => ({ rpi: new Uint8Array(16), aem: new Uint8Array(4) }),
  advertisedTxPower,
  trueTxPower,
  radiatedPowerDbm: -15,
  clockSkewSeconds: 0,
});
const receiver = (rssiCorrection: number, trueRssiOffset: number, sensitivityDbm = -98): Listener => ({
  platform: 'android',
  rssiCorrection,
  trueRssiOffset,
  sensitivityDbm,
  clockSkewSeconds: 0,
});
const link = (distanceM: number) => ({
  startEpochSeconds: DAY0,
  durationSeconds: 1200,
  distanceM,
  environment: 'office' as const,
  bodyShadowingDb: 0,
});

/** Attenuations the framework would compute: AEM tx − recorded (calibrated) RSSI. */
function attenuations(tx: Advertiser, rx: Listener, distanceM: number): number[] {
  const { sightings } = simulateLink(tx, rx, link(distanceM), noiseless('algebra'));
  return [...new Set(sightings.map((s) => tx.advertisedTxPower - s.rssi))];
}

describe('calibration algebra: attenuation = path loss + (AEM tx − true tx) + (true offset − table correction)', () => {
  const loss = Math.round(meanPathLossDb(2, 'office'));

  it('equals path loss when the table is right for both phones', () => {
    expect(attenuations(sender(-30, -30), receiver(8, 8), 2)).toEqual([loss]);
  });

  it("is off by the receiver's true offset minus its table correction (the correction no longer cancels)", () => {
    expect(attenuations(sender(-30, -30), receiver(8, 23), 2)).toEqual([loss + 15]);
    expect(attenuations(sender(-30, -30), receiver(8, 0), 2)).toEqual([loss - 8]);
  });

  it("is off by the sender's advertised tx minus its true tx", () => {
    expect(attenuations(sender(-27, -34), receiver(8, 8), 2)).toEqual([loss + 7]);
    expect(attenuations(sender(-27, -34), receiver(6, 20), 2)).toEqual([loss + 7 + 14]);
  });

  it('in a World: a phone whose true hardware differs from its table row shifts attenuation by exactly the difference', () => {
    const run = (hardware?: DeviceProfile['hardware']) => {
      const w = new World({ seed: 5 });
      w.addPhone(profile('a', 'android'));
      w.addPhone(profile('b', 'android', { model: 'Nokia 7.2', ...(hardware ? { hardware } : {}) }));
      return w.encounter({
        a: 'a',
        b: 'b',
        startEpochSeconds: DAY0,
        durationSeconds: 1200,
        distanceM: 1,
        environment: 'office',
      });
    };
    const fallback = run();
    const off = run({ rssiOffsetDb: 20 });
    // Nokia 7.2 is not in the table: the OS uses the fleet average correction (6 dB).
    expect(off.calibrationAtB).toMatchObject({
      tableCorrectionDb: 6,
      correctionMatchedBy: 'fleet',
      trueOffsetDb: 20,
    });
    expect(off.calibrationAtB?.attenuationErrorDb).toBe(14);
    expect(fallback.calibrationAtB?.attenuationErrorDb).toBe(0);
    expect(off.sightingsAtB).toBe(fallback.sightingsAtB);
    expect((off.attenuationAtB?.mean ?? 0) - (fallback.attenuationAtB?.mean ?? 0)).toBeCloseTo(14, 0);
    // b's stated offset only changes what b hears, not what a hears of b.
    expect(off.attenuationAtA).toEqual(fallback.attenuationAtA);
  });
});

describe('receiver sensitivity', () => {
  it('is −98 dBm by default, inside the cited range of BLE 1M receivers', () => {
    expect(DEFAULT_SENSITIVITY_DBM).toBe(-98);
    const [lo, hi] = MEASUREMENTS.sensitivity.rangeDbm;
    expect(DEFAULT_SENSITIVITY_DBM).toBeGreaterThanOrEqual(lo);
    expect(DEFAULT_SENSITIVITY_DBM).toBeLessThanOrEqual(hi);
  });

  it('hears an advertisement received at exactly the sensitivity and drops one 0.1 dB weaker', () => {
    expect(heard(-15, 83, -98)).toBe(true);
    expect(heard(-15, 83.1, -98)).toBe(false);
  });

  it('a link whose loss exceeds radiated power − sensitivity records nothing and counts every advert lost', () => {
    // Office loss reaches the 83 dB budget near 20 m: distances just inside and just outside it.
    const budget = -15 - -98;
    const inside = 10 ** ((budget - 0.5 - meanPathLossDb(1, 'office')) / (10 * 2.467));
    const outside = 10 ** ((budget + 0.5 - meanPathLossDb(1, 'office')) / (10 * 2.467));
    const near = simulateLink(sender(-30, -30), receiver(8, 8), link(inside), noiseless('s'));
    const far = simulateLink(sender(-30, -30), receiver(8, 8), link(outside), noiseless('s'));
    expect(near.lost).toBe(0);
    expect(near.sightings.length).toBeGreaterThan(50);
    expect(far.sightings).toHaveLength(0);
    expect(far.lost).toBe(near.sightings.length);
  });

  it('two phones 500 m apart record nothing, for every seed', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const w = new World({ seed });
      w.addPhone(profile('a', 'android'));
      w.addPhone(profile('b', 'ios'));
      const ev = w.encounter({
        a: 'a',
        b: 'b',
        startEpochSeconds: DAY0,
        durationSeconds: 3600,
        distanceM: 500,
        environment: 'open-air',
      });
      expect([ev.sightingsAtA, ev.sightingsAtB]).toEqual([0, 0]);
      expect(ev.lostAtB).toBeGreaterThan(0);
    }
  });

  it('loss grows with distance: the share of adverts heard falls from all at 3 m to none at 300 m', () => {
    const share = (d: number) => {
      let got = 0;
      let lost = 0;
      for (let i = 0; i < 40; i++) {
        const r = simulateLink(sender(-30, -30), receiver(8, 8), link(d), seededRng(`share:${d}:${i}`));
        got += r.sightings.length;
        lost += r.lost;
      }
      return got / (got + lost);
    };
    const shares = [3, 12, 20, 30, 300].map(share);
    expect(shares[0]).toBe(1);
    expect(shares[4]).toBe(0);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeLessThanOrEqual(shares[i - 1]);
    expect(shares[2]).toBeGreaterThan(0.05);
    expect(shares[2]).toBeLessThan(0.95);
  });
});

describe('radio: scanning and advertising cadence', () => {
  it('Android scans every 210–300 s for 4 s', () => {
    const w = scanWindows(SCAN_POLICIES.android, 0, 86_400, seededRng('scan'));
    const gaps = w.slice(1).map((x, i) => x.start - w[i].start);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(210);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(300);
    expect(w.every((x) => x.end - x.start === 4)).toBe(true);
    expect(w.slice(1).every((x, i) => x.previousEnd === w[i].end)).toBe(true);
  });

  it('a 4 s window hears 15–20 advertisements', () => {
    const counts = Array.from(
      { length: 100 },
      (_, i) => advertisementTimes(0, 4, seededRng(`adv${i}`)).length,
    );
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(14);
    expect(Math.max(...counts)).toBeLessThanOrEqual(20);
  });

  const encounter = (seed: number, distanceM: number, durationSeconds = 1200) => {
    const w = new World({ seed });
    w.addPhone(profile('a', 'android'));
    w.addPhone(profile('b', 'ios'));
    return w.encounter({
      a: 'a',
      b: 'b',
      startEpochSeconds: DAY0 + 3600,
      durationSeconds,
      distanceM,
      environment: 'office',
    });
  };

  it('RPIs rotate with the ENIN: a 25-minute encounter carries 3–4 distinct RPIs each way', () => {
    const ev = encounter(7, 1, 1500);
    expect(ev.distinctRpisAtB).toBeGreaterThanOrEqual(3);
    expect(ev.distinctRpisAtA).toBeGreaterThanOrEqual(3);
    expect(ev.distinctRpisAtB).toBeLessThanOrEqual(4);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    expect(encounter(3, 2)).toEqual(encounter(3, 2));
    expect(encounter(3, 2).attenuationAtB).not.toEqual(encounter(4, 2).attenuationAtB);
  });
});
