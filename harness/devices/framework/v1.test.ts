import { describe, expect, it } from 'vitest';
import { PLATFORM_RULES } from './platform.js';
import {
  attenuationBucket,
  buildExposures,
  collapseScans,
  daysBucket,
  durationBucket,
  roundedDurationSeconds,
  type ScanPoint,
} from './v1.js';

const points = (...pairs: [number, number][]): ScanPoint[] =>
  pairs.map(([epochSeconds, attenuation]) => ({ epochSeconds, attenuation }));

describe('EN v1 exposure building (gaen.md §4)', () => {
  it('reproduces the worked example: 0/300/600 s at 40/60/40 dB → 900 s, attenuation 47, [600, 300, 0] s (Android 50/74)', () => {
    const [e] = buildExposures(
      points([0, 40], [300, 60], [600, 40]),
      [50, 74],
      PLATFORM_RULES.android.durationBucket,
    );
    // Segments: 150×40 + 300×40 + 300×60 + 150×40 = 42000 over 900 s → 46.67 → 47.
    expect(e.durationSeconds).toBe(900);
    expect(e.attenuationValue).toBe(47);
    expect(e.attenuationSeconds).toEqual([600, 300, 0]);
  });

  it('puts an attenuation equal to a threshold in the upper bucket on Android (<t0, [t0,t1), ≥t1) and the lower on iOS (≤X, X<A≤Y, >Y)', () => {
    const run = points([0, 50], [300, 70]);
    // Segments: 150+300 s at 50 dB, 150 s at 70 dB.
    const android = buildExposures(run, [50, 70], PLATFORM_RULES.android.durationBucket)[0];
    const ios = buildExposures(run, [50, 70], PLATFORM_RULES.ios.durationBucket)[0];
    expect(android.attenuationSeconds).toEqual([0, 450, 150]);
    expect(ios.attenuationSeconds).toEqual([450, 150, 0]);
  });

  it('starts a new exposure after a gap over 600 s and keeps a 600 s gap in the same exposure', () => {
    expect(
      buildExposures(points([0, 40], [600, 40]), [50, 74], PLATFORM_RULES.android.durationBucket),
    ).toHaveLength(1);
    const split = buildExposures(points([0, 40], [601, 40]), [50, 74], PLATFORM_RULES.android.durationBucket);
    expect(split.map((e) => e.durationSeconds)).toEqual([300, 300]);
  });

  it('rounds (last − first + 300) to 300 s steps: remainder ≤ 150 down, above up; one sighting is 5 min', () => {
    expect(roundedDurationSeconds(0, 0)).toBe(300);
    expect(roundedDurationSeconds(0, 150)).toBe(300);
    expect(roundedDurationSeconds(0, 151)).toBe(600);
    expect(roundedDurationSeconds(100, 1300)).toBe(1500);
  });

  it('collapses sightings ≤ 25.5 s apart into one scan keeping the strongest, and starts a new scan after 25.5 s', () => {
    const s = (t: number, attenuation: number) => ({
      epochSeconds: t,
      attenuation,
      previousScanEpochSeconds: 0,
      enin: 0,
      rssi: 0,
      txPower: 0,
      calibrationConfidence: 3 as const,
    });
    expect(collapseScans([s(0, 60), s(2, 45), s(25, 50), s(51, 70)])).toEqual(points([2, 45], [51, 70]));
  });
});

describe('EN v1 buckets (RiskScoreCalculator)', () => {
  it('maps attenuation to buckets >73, 64–73, 52–63, 34–51, 28–33, 16–27, 11–15, ≤10', () => {
    expect([74, 73, 64, 63, 52, 51, 34, 33, 28, 27, 16, 15, 11, 10, 0].map(attenuationBucket)).toEqual([
      0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7,
    ]);
  });
  it('maps days since the key to buckets ≥14, ≥12, … ≥2, else 7', () => {
    expect([20, 14, 13, 12, 2, 1, 0].map(daysBucket)).toEqual([0, 0, 1, 1, 6, 7, 7]);
  });
  it('maps floor(duration/60) to buckets ≤0, ≤5, … ≤30, >30', () => {
    expect([0, 59, 300, 301, 359, 360, 1800, 1860].map(durationBucket)).toEqual([0, 0, 1, 1, 1, 2, 6, 7]);
  });
});

describe('transmission risk factor (gaen.md §4 item 3)', () => {
  const scores = [1, 2, 3, 4, 5, 6, 7, 8];
  it('Android uses scores[level − 1] and gives 1 for level 0 (RISK_LEVEL_INVALID), whatever the configuration', () => {
    expect([0, 1, 4, 8].map((l) => PLATFORM_RULES.android.transmissionFactor(l, scores))).toEqual([
      1, 1, 4, 8,
    ]);
    expect(PLATFORM_RULES.android.transmissionFactor(0, [7, 7, 7, 7, 7, 7, 7, 7])).toBe(1);
  });
  it('iOS uses scores[level] for 0..7 and has no slot for level 8', () => {
    expect([0, 1, 4, 7, 8].map((l) => PLATFORM_RULES.ios.transmissionFactor(l, scores))).toEqual([
      1, 2, 5, 8, 0,
    ]);
    expect(PLATFORM_RULES.ios.transmissionFactor(0, [7, 7, 7, 7, 7, 7, 7, 7])).toBe(7);
  });
});
