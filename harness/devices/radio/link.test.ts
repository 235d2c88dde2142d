import { describe, expect, it } from 'vitest';
import type { Sighting } from '../sighting.js';
import type { DeviceProfile } from '../types.js';
import { World } from '../world.js';
import { meanPathLossDb } from './path-loss.js';
import { seededRng } from './random.js';
import { advertisementTimes, SCAN_POLICIES, scanWindows } from './scanner.js';

const DAY0 = 1_601_510_400;
const profile = (id: string, platform: 'android' | 'ios'): DeviceProfile => ({
  id,
  platform,
  osVersion: platform === 'ios' ? '14.4' : '11',
  enVersion: 1,
  model: platform === 'ios' ? 'iPhone 11' : 'Pixel 4',
  app: 'cocoa-1.1.4',
  backgroundCheckRuns: true,
  clockSkewSeconds: 0,
});

/** Strongest attenuation per scan heard by b (v1 collapses a scan to its strongest, gaen.md §3). */
function perScanMinAttenuation(seed: number, distanceM: number, durationSeconds = 1200) {
  const w = new World({ seed });
  const a = w.addPhone(profile('a', 'android'));
  const b = w.addPhone(profile('b', 'ios'));
  const heard: Sighting[] = [];
  const record = b.framework.recordSighting;
  Object.assign(b.framework, {
    recordSighting: (s: Sighting) => {
      heard.push(s);
      record(s);
    },
  });
  const ev = w.encounter({
    a: 'a',
    b: 'b',
    startEpochSeconds: DAY0 + 3600,
    durationSeconds,
    distanceM,
    environment: 'office',
  });
  const byScan = new Map<number, number>();
  for (const s of heard) {
    const att = a.calibration.txPower - s.rssi;
    byScan.set(s.previousScanEpochSeconds, Math.min(byScan.get(s.previousScanEpochSeconds) ?? 999, att));
  }
  return { mins: [...byScan.values()], ev };
}

describe('radio: path loss reproduces the COCOA 1 m / 63 dB intent in an office', () => {
  const seeds = Array.from({ length: 200 }, (_, i) => i);

  it('at 1 m for 20 min, every scan is ≤ 63 dB in at least 95% of encounters', () => {
    const ok = seeds.filter((s) => perScanMinAttenuation(s, 1).mins.every((m) => m <= 63)).length;
    expect(ok / seeds.length).toBeGreaterThanOrEqual(0.95);
  });

  it('at 3 m for 20 min, any scan ≤ 63 dB in at most 5% of encounters', () => {
    const near = seeds.filter((s) => perScanMinAttenuation(s, 3).mins.some((m) => m <= 63)).length;
    expect(near / seeds.length).toBeLessThanOrEqual(0.05);
  });

  it('the log-distance anchors hold in open air without offset: 47 dB @ 2 m, 73 dB @ 8 m (gaen.md §6)', () => {
    const offset = meanPathLossDb(1, 'open-air') - 34;
    expect(meanPathLossDb(2, 'open-air') - offset).toBeCloseTo(46.9, 0);
    expect(meanPathLossDb(8, 'open-air') - offset).toBeCloseTo(72.8, 0);
  });

  it('train attenuation barely depends on distance (Leith & Farrell)', () => {
    expect(meanPathLossDb(4, 'train') - meanPathLossDb(1, 'train')).toBeLessThan(7);
    expect(meanPathLossDb(4, 'office') - meanPathLossDb(1, 'office')).toBeGreaterThan(20);
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

  it('RPIs rotate with the ENIN: a 25-minute encounter carries 3–4 distinct RPIs each way', () => {
    const { ev } = perScanMinAttenuation(7, 1, 1500);
    expect(ev.distinctRpisAtB).toBeGreaterThanOrEqual(3);
    expect(ev.distinctRpisAtA).toBeGreaterThanOrEqual(3);
    expect(ev.distinctRpisAtB).toBeLessThanOrEqual(4);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    expect(perScanMinAttenuation(3, 2).mins).toEqual(perScanMinAttenuation(3, 2).mins);
    expect(perScanMinAttenuation(3, 2).mins).not.toEqual(perScanMinAttenuation(4, 2).mins);
  });

  it('calibrated attenuation equals path loss: sender TX minus recorded RSSI tracks the model mean', () => {
    const { ev } = perScanMinAttenuation(11, 2);
    expect(ev.attenuationAtB?.mean).toBeGreaterThan(meanPathLossDb(2, 'office') - 10);
    expect(ev.attenuationAtB?.mean).toBeLessThan(meanPathLossDb(2, 'office') + 10);
  });
});
