/**
 * The fitted radio against the cited measurements, compared directly: the model's simulated
 * attenuations (no offset taken off) must reproduce each cited median within ±1 dB and each cited
 * spread within ±0.7 dB.
 */
import { describe, expect, it } from 'vitest';
import type { Environment } from '../types.js';
import { FIT, fitLogDistance, MEASUREMENTS } from './fit.js';
import { type Advertiser, type Listener, simulateLink } from './link.js';
import { ENVIRONMENTS } from './path-loss.js';
import { seededRng } from './random.js';

const MEDIAN_TOLERANCE_DB = 1;
const SPREAD_TOLERANCE_DB = 0.7;
const GROUP_ENVIRONMENT: Record<string, Environment> = { indoor: 'office', vehicle: 'bus' };

// A pair the calibration table describes exactly: attenuation = path loss (link.test.ts pins the algebra).
const tx: Advertiser = {
  advertisementAt: () => ({ rpi: new Uint8Array(16), aem: new Uint8Array(4) }),
  advertisedTxPower: -30,
  trueTxPower: -30,
  radiatedPowerDbm: -15,
  clockSkewSeconds: 0,
};
const rx: Listener = {
  platform: 'android',
  rssiCorrection: 8,
  trueRssiOffset: 8,
  sensitivityDbm: -98,
  clockSkewSeconds: 0,
};

/** Per-encounter lists of per-advertisement attenuations the framework would compute. */
function simulate(environment: Environment, distanceM: number, encounters = 300): number[][] {
  return Array.from({ length: encounters }, (_, i) =>
    simulateLink(
      tx,
      rx,
      { startEpochSeconds: 1_601_510_400, durationSeconds: 1200, distanceM, environment, bodyShadowingDb: 0 },
      seededRng(`fit:${environment}:${distanceM}:${i}`),
    ).sightings.map((s) => tx.advertisedTxPower - s.rssi),
  );
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sd = (xs: number[]): number => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

describe('radio fit: the stored parameters are the least-squares fit of the cited medians', () => {
  it('fixtures/radio/fit.json office = fitLogDistance(indoor medians)', () => {
    const f = fitLogDistance(MEASUREMENTS.medians.filter((m) => m.environment === 'indoor'));
    expect(FIT.office.a1Db).toBeCloseTo(f.a1Db, 2);
    expect(FIT.office.exponent).toBeCloseTo(f.exponent, 3);
    expect(FIT.office.fittedTo).toBe('indoor');
  });

  it('every environment not fitted to data says UNVERIFIED in its provenance', () => {
    for (const [name, e] of Object.entries(ENVIRONMENTS)) {
      if (e.fittedTo === null) expect(`${name}: ${e.provenance}`).toMatch(/UNVERIFIED|as train/);
    }
  });
});

describe(`radio fit reproduces the cited data (medians ±${MEDIAN_TOLERANCE_DB} dB, spreads ±${SPREAD_TOLERANCE_DB} dB)`, () => {
  for (const m of MEASUREMENTS.medians) {
    it(`${m.source}: median attenuation at ${m.distanceM} m (${m.environment}) is ${m.attenuationDb} dB`, () => {
      const all = simulate(GROUP_ENVIRONMENT[m.environment], m.distanceM).flat();
      expect(Math.abs(median(all) - m.attenuationDb)).toBeLessThanOrEqual(MEDIAN_TOLERANCE_DB);
    });
  }

  for (const s of MEASUREMENTS.spreads) {
    it(`${s.source}: σ over ${s.over} at ${s.distanceM} m (${s.environment}) is ${s.sigmaDb} dB`, () => {
      const runs = simulate(GROUP_ENVIRONMENT[s.environment], s.distanceM);
      const values =
        s.over === 'advertisements' ? runs.flat() : runs.map((r) => r.reduce((a, b) => a + b, 0) / r.length);
      expect(Math.abs(sd(values) - s.sigmaDb)).toBeLessThanOrEqual(SPREAD_TOLERANCE_DB);
    });
  }
});
