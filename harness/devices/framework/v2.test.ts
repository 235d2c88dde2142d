import { describe, expect, it } from 'vitest';
import { freshSigner } from '../../protocol/export/test-helpers.js';
import { writeSignedExport } from '../../protocol/export/write.js';
import { ReportType, type TemporaryExposureKey } from '../../protocol/tek.js';
import { FrameworkError } from './errors.js';
import { createFramework } from './framework.js';
import { DAY0, seededRandom, sender } from './test-helpers.js';
import {
  type DailySummariesConfig,
  type DetectionFailed,
  type DiagnosisKeysDataMapping,
  Infectiousness,
  type IosExposureConfigurationV2,
  type MatchedSighting,
  type QuotaExceeded,
  type V2Detection,
} from './types.js';
import { cutWindows, mappedInfectiousness, scanInstances, shuffle } from './v2.js';

const { signer, publicKey } = freshSigner('440');
const CONTACT = DAY0 + 10 * 3600;
const NOW = DAY0 + 20 * 3600;

/** COCOA v2 reference configuration (cocoa.md §1.6). */
const DSOS: Record<number, Infectiousness> = {};
for (let d = -14; d <= 14; d++) DSOS[d] = d >= -3 && d <= 10 ? Infectiousness.HIGH : Infectiousness.NONE;
const MAPPING: DiagnosisKeysDataMapping = {
  daysSinceOnsetToInfectiousness: DSOS,
  infectiousnessWhenDaysSinceOnsetMissing: Infectiousness.HIGH,
  reportTypeWhenMissing: ReportType.CONFIRMED_TEST,
};
const ANDROID: DailySummariesConfig = {
  kind: 'android-daily-summaries',
  reportTypeWeights: { 1: 1, 2: 1, 3: 1, 4: 1 },
  infectiousnessWeights: { 1: 1, 2: 1 },
  attenuationBucketThresholdDb: [46, 60, 65],
  attenuationBucketWeights: [1.0, 2.5, 1.3, 0.01],
  daysSinceExposureThreshold: 0,
  minimumWindowScore: 0,
};
const IOS: IosExposureConfigurationV2 = {
  kind: 'ios-v2',
  attenuationDurationThresholds: [46, 60, 65],
  immediateDurationWeight: 100,
  nearDurationWeight: 250,
  mediumDurationWeight: 130,
  otherDurationWeight: 1,
};

/** What the last detect()'s framework reported as draws of the seed (types.ts ModelDraw). */
let draws: string[] = [];

function detect(
  platform: 'android' | 'ios',
  key: Partial<TemporaryExposureKey>,
  sightings: (
    s: ReturnType<typeof sender>,
  ) => Parameters<ReturnType<typeof createFramework>['recordSighting']>[0][],
  configuration: DailySummariesConfig | IosExposureConfigurationV2,
  mapping = MAPPING,
  now = NOW,
): V2Detection {
  const s = sender(
    CONTACT,
    seededRandom('v2'),
    { version: '1.1', txPower: -10, calibrationConfidence: 2 },
    key,
  );
  const fw = createFramework({
    platform,
    osVersion: 'x',
    random: seededRandom('rx'),
    metadata: { version: '1.1', txPower: -10, calibrationConfidence: 3 },
    verificationKeys: [publicKey],
    onModelDraw: (d) => draws.push(d),
  });
  draws = [];
  for (const x of sightings(s)) fw.recordSighting(x);
  const { zip } = writeSignedExport(
    {
      startTimestamp: DAY0,
      endTimestamp: DAY0 + 1,
      region: '440',
      batchNum: 1,
      batchSize: 1,
      keys: [s.key],
      revisedKeys: [],
    },
    [signer],
  );
  const r: V2Detection | QuotaExceeded | DetectionFailed = fw.detectV2({
    files: [zip],
    mapping,
    configuration,
    nowEpochSeconds: now,
  });
  if (r.kind !== 'v2') throw new Error(r.reason);
  return r;
}

/** Two scan instances: {50, 54} dB at 0/2 s (typical 52, NEAR) and 70 dB at 300 s (OTHER); 240 s since last scan each. */
const twoScans = (s: ReturnType<typeof sender>) => [
  s.sightingAt(CONTACT, 50),
  s.sightingAt(CONTACT + 2, 54),
  s.sightingAt(CONTACT + 300, 70),
];

describe('EN v2 ExposureWindows and daily summaries (gaen.md §5)', () => {
  it('reports the shuffle as a draw of the seed only when there are two windows or more to order', () => {
    const key = { reportType: ReportType.CONFIRMED_TEST, daysSinceOnsetOfSymptoms: 0 };
    expect(detect('android', key, twoScans, ANDROID).exposureWindows).toHaveLength(1);
    expect(draws).toEqual([]);
    // An hour apart: two windows of at most 30 min each (gaen.md §5).
    const hourApart = (x: ReturnType<typeof sender>) => [
      x.sightingAt(CONTACT, 50),
      x.sightingAt(CONTACT + 3600, 50),
    ];
    expect(detect('android', key, hourApart, ANDROID).exposureWindows).toHaveLength(2);
    expect(draws).toEqual(['window-order']);
  });

  it('Android: scan instances, window fields and a score of 240×2.5 + 240×0.01 = 602.4 (raw double)', () => {
    const r = detect(
      'android',
      { reportType: ReportType.CONFIRMED_TEST, daysSinceOnsetOfSymptoms: 0 },
      twoScans,
      ANDROID,
    );
    expect(r.exposureWindows).toEqual([
      {
        dateMillisSinceEpoch: DAY0 * 1000,
        reportType: 1,
        infectiousness: Infectiousness.HIGH,
        calibrationConfidence: 2,
        scanInstances: [
          { typicalAttenuationDb: 52, minAttenuationDb: 50, secondsSinceLastScan: 240 },
          { typicalAttenuationDb: 70, minAttenuationDb: 70, secondsSinceLastScan: 240 },
        ],
      },
    ]);
    const [day] = r.dailySummaries;
    expect(day.daysSinceEpoch).toBe(DAY0 / 86_400);
    expect(day.daySummary.scoreSum).toBeCloseTo(602.4, 9);
    expect(day.daySummary.weightedDurationSum).toBeCloseTo(602.4, 9);
    expect(day.summaryByReportType[1]?.maximumScore).toBeCloseTo(602.4, 9);
  });

  it('iOS: the same contact with percent weights gives 602.4 s rounded to the nearest minute, 600', () => {
    const r = detect(
      'ios',
      { reportType: ReportType.CONFIRMED_TEST, daysSinceOnsetOfSymptoms: 0 },
      twoScans,
      IOS,
    );
    expect(r.dailySummaries[0].daySummary).toEqual({
      maximumScore: 600,
      scoreSum: 600,
      weightedDurationSum: 600,
    });
  });

  it('unset weights: Android scores 0.0, iOS reading the same Android shape uses 100 %', () => {
    const partial: DailySummariesConfig = { ...ANDROID, reportTypeWeights: {}, infectiousnessWeights: {} };
    const key = { reportType: ReportType.CONFIRMED_TEST, daysSinceOnsetOfSymptoms: 0 };
    expect(detect('android', key, twoScans, partial).dailySummaries[0].daySummary.scoreSum).toBe(0);
    expect(detect('ios', key, twoScans, partial).dailySummaries[0].daySummary.scoreSum).toBe(600);
  });

  it('infectiousness NONE: Android keeps the window (weight 0 → score 0), iOS ignores the key', () => {
    const key = { reportType: ReportType.CONFIRMED_TEST, daysSinceOnsetOfSymptoms: 12 };
    const a = detect('android', key, twoScans, ANDROID);
    expect(a.exposureWindows.map((w) => w.infectiousness)).toEqual([Infectiousness.NONE]);
    expect(a.dailySummaries[0].daySummary.scoreSum).toBe(0);
    const i = detect('ios', key, twoScans, IOS);
    expect(i.matchedKeyCount).toBe(1);
    expect(i.exposureWindows).toEqual([]);
  });

  it('a key without report type takes reportTypeWhenMissing; iOS with UNKNOWN ignores it, Android refuses the mapping', () => {
    const key = { daysSinceOnsetOfSymptoms: 0 };
    expect(detect('android', key, twoScans, ANDROID).exposureWindows[0].reportType).toBe(
      ReportType.CONFIRMED_TEST,
    );
    const none = { ...MAPPING, reportTypeWhenMissing: ReportType.UNKNOWN };
    expect(detect('ios', key, twoScans, IOS, none).exposureWindows).toEqual([]);
    expect(() => detect('android', key, twoScans, ANDROID, none)).toThrow(FrameworkError);
  });

  it('daysSinceExposureThreshold and minimumWindowScore leave windows out of the summaries only', () => {
    const key = { reportType: ReportType.CONFIRMED_TEST, daysSinceOnsetOfSymptoms: 0 };
    const later = NOW + 5 * 86_400;
    const r = detect('android', key, twoScans, { ...ANDROID, daysSinceExposureThreshold: 3 }, MAPPING, later);
    expect(r.exposureWindows).toHaveLength(1);
    expect(r.dailySummaries).toEqual([]);
    expect(detect('android', key, twoScans, { ...ANDROID, minimumWindowScore: 603 }).dailySummaries).toEqual(
      [],
    );
  });
});

const ms = (t: number, attenuation: number, previousScanEpochSeconds: number): MatchedSighting => ({
  epochSeconds: t,
  previousScanEpochSeconds,
  attenuation,
  enin: 0,
  rssi: 0,
  txPower: 0,
  calibrationConfidence: 3,
});

describe('ScanInstance and window rules', () => {
  it('secondsSinceLastScan is 60 × min(5, minute difference) when the previous scan is known, else 120', () => {
    const t = CONTACT + 5;
    expect(scanInstances([ms(t, 40, t - 61)])[0].secondsSinceLastScan).toBe(60);
    expect(scanInstances([ms(t, 40, t - 600)])[0].secondsSinceLastScan).toBe(300);
    expect(scanInstances([ms(t, 40, 0)])[0].secondsSinceLastScan).toBe(120);
  });

  it('groups sightings ≤ 25.5 s apart; typical is the rounded mean, min the minimum', () => {
    const r = scanInstances([ms(0, 40, 1), ms(25.5, 43, 1), ms(51.1, 60, 1), ms(70, 63, 1)]);
    expect(r.map((x) => [x.typicalAttenuationDb, x.minAttenuationDb])).toEqual([
      [42, 40],
      [62, 60],
    ]);
  });

  it('cuts a new window when t − windowStart ≥ 30 min', () => {
    const w = cutWindows([ms(0, 40, 1), ms(1799, 40, 1), ms(1800, 40, 1), ms(3000, 40, 1)]);
    expect(w.map((x) => x.map((s) => s.epochSeconds))).toEqual([
      [0, 1799],
      [1800, 3000],
    ]);
  });

  it('maps missing or |dso| > 14 to the "missing" infectiousness and unspecified days to NONE', () => {
    const m: DiagnosisKeysDataMapping = {
      ...MAPPING,
      daysSinceOnsetToInfectiousness: { 0: Infectiousness.STANDARD },
    };
    expect([undefined, 15, -15, 0, 1].map((d) => mappedInfectiousness(d, m))).toEqual([2, 2, 2, 1, 0]);
  });

  it('shuffles windows deterministically for a seed', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(shuffle(items, seededRandom('a'))).toEqual(shuffle(items, seededRandom('a')));
    expect(shuffle(items, seededRandom('a')).sort((x, y) => x - y)).toEqual(items);
  });
});
