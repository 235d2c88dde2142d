import { describe, expect, it } from 'vitest';
import { decryptAem } from '../../protocol/aem.js';
import { freshSigner } from '../../protocol/export/test-helpers.js';
import { writeSignedExport } from '../../protocol/export/write.js';
import { decodeMetadata, deriveAemk, deriveRpi, deriveRpik } from '../../protocol/index.js';
import { enIntervalNumber } from '../../protocol/interval.js';
import { ReportType, type TemporaryExposureKey } from '../../protocol/tek.js';
import { detectV1FromKeys } from './detect.js';
import { createFramework } from './framework.js';
import { COCOA_V1_CONFIG, DAY0, seededRandom, sender } from './test-helpers.js';
import type {
  AndroidV1Detection,
  DetectionFailed,
  ExposureNotificationFramework,
  IosV1Detection,
  QuotaExceeded,
  V1Configuration,
  V1Detection,
} from './types.js';

const { signer, publicKey } = freshSigner('440');
const other = freshSigner('440');

function zip(
  keys: readonly TemporaryExposureKey[],
  signers = [signer],
  revisedKeys: TemporaryExposureKey[] = [],
) {
  return writeSignedExport(
    {
      startTimestamp: DAY0,
      endTimestamp: DAY0 + 3600,
      region: '440',
      batchNum: 1,
      batchSize: 1,
      keys,
      revisedKeys,
    },
    signers,
  ).zip;
}

function phone(platform: 'android' | 'ios', seed = 'receiver'): ExposureNotificationFramework {
  return createFramework({
    platform,
    osVersion: platform === 'ios' ? '13.7' : '11',
    random: seededRandom(seed),
    metadata: { version: '1.1', txPower: -10, calibrationConfidence: 3 },
    verificationKeys: [publicKey],
  });
}

function v1(result: V1Detection | QuotaExceeded | DetectionFailed): V1Detection {
  if (result.kind !== 'v1') throw new Error(result.reason);
  return result;
}

const CONTACT = DAY0 + 10 * 3600; // 10:00 UTC
const NOW = DAY0 + 20 * 3600;

/** A 20-minute contact: one sighting per ~5 min scan at `attenuation` dB. */
function contact(platform: 'android' | 'ios', trl: number, attenuation = 55) {
  const s = sender(CONTACT, seededRandom(`sender-${trl}`), undefined, { transmissionRiskLevel: trl });
  const fw = phone(platform);
  for (let t = 0; t <= 1200; t += 300) fw.recordSighting(s.sightingAt(CONTACT + t, attenuation));
  return { fw, s };
}

describe('COCOA 1.1.4 case (cocoa.md §5): minimum 21, attenuation [1..8], duration [0,0,0,0,1,1,1,1], TRL scores 7', () => {
  it('Android: a key exported with TRL 0 matches but scores 0 (best 8×1×1×1 = 8 < 21), the information is still returned', () => {
    const { fw, s } = contact('android', 0);
    const r = v1(
      fw.detectV1({ files: [zip([s.key])], configuration: COCOA_V1_CONFIG, nowEpochSeconds: NOW }),
    ) as AndroidV1Detection;
    expect(r.download).toMatchObject({ filesAccepted: 1, filesRejected: 0, keysRead: 1 });
    expect(r.matchedKeyCount).toBe(1);
    expect(r.summary.maximumRiskScore).toBe(0);
    expect(r.informations).toHaveLength(1);
    expect(r.informations[0]).toMatchObject({
      totalRiskScore: 0,
      transmissionRiskLevel: 0,
      durationMinutes: 25,
    });
  });

  it('iOS: the same TRL 0 key scores att×7×1 ≥ 21 (transmissionRiskLevelValues[0] = 7)', () => {
    const { fw, s } = contact('ios', 0);
    const r = v1(
      fw.detectV1({ files: [zip([s.key])], configuration: COCOA_V1_CONFIG, nowEpochSeconds: NOW }),
    ) as IosV1Detection;
    // 55 dB → attenuation bucket 2 → score 3; 25 min → duration score 1; 3 × 1 × 1 × 7 = 21.
    expect(r.summary.maximumRiskScoreFullRange).toBe(21);
    expect(r.summary.maximumRiskScore).toBe(21);
    expect(r.informations[0]).toMatchObject({ totalRiskScore: 21, duration: 1500 });
  });

  it('with TRL 4 both platforms score 21 (Android scores[3] = 7, iOS scores[4] = 7)', () => {
    for (const platform of ['android', 'ios'] as const) {
      const { fw, s } = contact(platform, 4);
      const r = v1(
        fw.detectV1({ files: [zip([s.key])], configuration: COCOA_V1_CONFIG, nowEpochSeconds: NOW }),
      );
      expect(r.summary.maximumRiskScore).toBe(21);
    }
  });

  it('a contact at 64 dB or more stays below 21 on iOS too (attenuation score 2 × 7 = 14): dropped from the infos', () => {
    const { fw, s } = contact('ios', 0, 64);
    const r = v1(
      fw.detectV1({ files: [zip([s.key])], configuration: COCOA_V1_CONFIG, nowEpochSeconds: NOW }),
    ) as IosV1Detection;
    expect(r.matchedKeyCount).toBe(1);
    expect(r.informations).toHaveLength(0);
    expect(r.summary.maximumRiskScoreFullRange).toBe(0);
    expect(r.summary.attenuationDurations).toEqual([0, 0, 0]);
  });
});

describe('worked example through the whole framework (gaen.md §4)', () => {
  const config: V1Configuration = {
    minimumRiskScore: 1,
    attenuationScores: [1, 2, 3, 4, 5, 6, 7, 8],
    daysSinceLastExposureScores: [1, 1, 1, 1, 1, 1, 1, 1],
    durationScores: [1, 2, 3, 4, 5, 6, 7, 8],
    transmissionRiskScores: [1, 2, 3, 4, 5, 6, 7, 8],
    durationAtAttenuationThresholds: [50, 74],
  };
  function run(platform: 'android' | 'ios') {
    const s = sender(CONTACT, seededRandom('worked'), undefined, { transmissionRiskLevel: 3 });
    const fw = phone(platform);
    for (const [t, a] of [
      [0, 40],
      [300, 60],
      [600, 40],
    ])
      fw.recordSighting(s.sightingAt(CONTACT + t, a));
    return v1(fw.detectV1({ files: [zip([s.key])], configuration: config, nowEpochSeconds: NOW }));
  }

  it('Android: 15 minutes, attenuation 47, durations [10, 5, 0] minutes, score 4×1×4×3', () => {
    const r = run('android') as AndroidV1Detection;
    expect(r.informations).toEqual([
      {
        dateMillisSinceEpoch: DAY0 * 1000,
        durationMinutes: 15,
        attenuationValue: 47,
        transmissionRiskLevel: 3,
        totalRiskScore: 4 * 1 * 4 * 3,
        attenuationDurationsInMinutes: [10, 5, 0],
      },
    ]);
    expect(r.summary).toEqual({
      matchedKeyCount: 1,
      daysSinceLastExposure: 0,
      maximumRiskScore: 48,
      summationRiskScore: 48,
      attenuationDurationsInMinutes: [10, 5, 0],
    });
  });

  it('iOS: 900 s, durations [600, 300, 0] s, transmission slot [3] → 4×1×4×4', () => {
    const r = run('ios') as IosV1Detection;
    expect(r.informations[0]).toMatchObject({
      duration: 900,
      attenuationValue: 47,
      attenuationDurations: [600, 300, 0],
    });
    expect(r.informations[0].totalRiskScoreFullRange).toBe(64);
    expect(r.summary.attenuationDurations).toEqual([600, 300, 0]);
  });
});

describe('score cap and minimumRiskScore (gaen.md §4 items 1, 2)', () => {
  const eights: V1Configuration = {
    minimumRiskScore: 1,
    attenuationScores: Array(8).fill(8),
    daysSinceLastExposureScores: Array(8).fill(8),
    durationScores: Array(8).fill(8),
    transmissionRiskScores: Array(8).fill(8),
    durationAtAttenuationThresholds: [50, 74],
  };
  it('Android reaches 4096; iOS caps totalRiskScore and maximumRiskScore at 255 and keeps 4096 in the full range', () => {
    const a = contact('android', 1);
    const ra = v1(
      a.fw.detectV1({ files: [zip([a.s.key])], configuration: eights, nowEpochSeconds: NOW }),
    ) as AndroidV1Detection;
    expect(ra.summary.maximumRiskScore).toBe(4096);
    const i = contact('ios', 1);
    const ri = v1(
      i.fw.detectV1({ files: [zip([i.s.key])], configuration: eights, nowEpochSeconds: NOW }),
    ) as IosV1Detection;
    expect(ri.summary.maximumRiskScore).toBe(255);
    expect(ri.summary.maximumRiskScoreFullRange).toBe(4096);
    expect(ri.informations[0]).toMatchObject({ totalRiskScore: 255, totalRiskScoreFullRange: 4096 });
  });

  it('below the minimum Android zeroes the score but keeps durations; iOS drops the incident but still counts the key', () => {
    const high = { ...COCOA_V1_CONFIG, minimumRiskScore: 100, minimumRiskScoreFullRange: 100 };
    const a = contact('android', 4);
    const ra = v1(
      a.fw.detectV1({ files: [zip([a.s.key])], configuration: high, nowEpochSeconds: NOW }),
    ) as AndroidV1Detection;
    expect(ra.informations[0].totalRiskScore).toBe(0);
    expect(ra.summary.attenuationDurationsInMinutes).toEqual([0, 25, 0]);
    const i = contact('ios', 4);
    const ri = v1(
      i.fw.detectV1({ files: [zip([i.s.key])], configuration: high, nowEpochSeconds: NOW }),
    ) as IosV1Detection;
    expect(ri.matchedKeyCount).toBe(1);
    expect(ri.informations).toEqual([]);
    expect(ri.summary.attenuationDurations).toEqual([0, 0, 0]);
  });
});

describe('matching rules (gaen.md §3)', () => {
  const cfg = { ...COCOA_V1_CONFIG, minimumRiskScore: 1 };
  const detect = (fw: ExposureNotificationFramework, keys: TemporaryExposureKey[]) =>
    v1(fw.detectV1({ files: [zip(keys)], configuration: cfg, nowEpochSeconds: NOW }));

  it('accepts a sighting up to 12 intervals after its RPI interval and rejects one 13 intervals after (±2 h drift)', () => {
    const s = sender(CONTACT, seededRandom('drift'));
    const base = s.sightingAt(CONTACT, 50);
    const fwOk = phone('android');
    fwOk.recordSighting({ ...base, epochSeconds: CONTACT + 12 * 600 });
    expect(detect(fwOk, [s.key]).matchedKeyCount).toBe(1);
    const fwLate = phone('android');
    fwLate.recordSighting({ ...base, epochSeconds: CONTACT + 13 * 600 });
    expect(detect(fwLate, [s.key]).matchedKeyCount).toBe(0);
  });

  it('drops sightings of one RPI more than 20 min after its first (anti-replay)', () => {
    const s = sender(CONTACT, seededRandom('replay'));
    const fw = phone('android');
    const first = s.sightingAt(CONTACT, 50);
    fw.recordSighting(first);
    fw.recordSighting({ ...first, epochSeconds: CONTACT + 1200 });
    fw.recordSighting({ ...first, epochSeconds: CONTACT + 1201 });
    expect(detect(fw, [s.key]).matchedKeys[0].sightings.map((x) => x.epochSeconds)).toEqual([
      CONTACT,
      CONTACT + 1200,
    ]);
  });

  it('drops sightings whose decrypted TX power is outside [−50, +20] dBm', () => {
    const loud = sender(CONTACT, seededRandom('loud'), {
      version: '1.0',
      txPower: 21,
      calibrationConfidence: 0,
    });
    const fw = phone('android');
    fw.recordSighting(loud.sightingAt(CONTACT, 50));
    expect(detect(fw, [loud.key]).matchedKeyCount).toBe(0);
  });

  it('computes attenuation as max(txPower − rssi, 0) from the sender AEM', () => {
    const s = sender(CONTACT, seededRandom('att'), {
      version: '1.1',
      txPower: -20,
      calibrationConfidence: 2,
    });
    const fw = phone('android');
    fw.recordSighting({ ...s.sightingAt(CONTACT, 0), rssi: -5 });
    const m = detect(fw, [s.key]).matchedKeys[0].sightings[0];
    expect(m).toMatchObject({ txPower: -20, attenuation: 0, calibrationConfidence: 2 });
  });

  it('never matches RECURSIVE keys, and a REVOKED revision removes an earlier SELF_REPORT key', () => {
    const a = sender(CONTACT, seededRandom('rec'), undefined, { reportType: ReportType.RECURSIVE });
    const b = sender(CONTACT, seededRandom('rev'), undefined, { reportType: ReportType.SELF_REPORT });
    for (const platform of ['android', 'ios'] as const) {
      const fw = phone(platform);
      fw.recordSighting(a.sightingAt(CONTACT, 50));
      fw.recordSighting(b.sightingAt(CONTACT, 50));
      const first = v1(
        fw.detectV1({ files: [zip([a.key, b.key])], configuration: cfg, nowEpochSeconds: NOW }),
      );
      expect(first.matchedKeys.map((k) => k.reportType)).toEqual([ReportType.SELF_REPORT]);
      const revoked = v1(
        fw.detectV1({
          files: [zip([b.key]), zip([], [signer], [{ ...b.key, reportType: ReportType.REVOKED }])],
          configuration: cfg,
          nowEpochSeconds: NOW,
        }),
      );
      expect(revoked.matchedKeyCount).toBe(0);
    }
  });

  it('the decoded-key path gives the same result as the signed-file path', () => {
    const { fw, s } = contact('android', 4);
    const viaFile = v1(
      fw.detectV1({ files: [zip([s.key])], configuration: COCOA_V1_CONFIG, nowEpochSeconds: NOW }),
    );
    const sightings = [0, 300, 600, 900, 1200].map((t) => s.sightingAt(CONTACT + t, 55));
    const viaKeys = detectV1FromKeys({
      platform: 'android',
      keys: [s.key],
      sightings,
      configuration: COCOA_V1_CONFIG,
      nowEpochSeconds: NOW,
    });
    expect(viaKeys.summary).toEqual(viaFile.summary);
    expect(viaKeys.informations).toEqual(viaFile.informations);
  });
});

describe('download and verification (gaen.md §2)', () => {
  it('iOS rejects a file signed by an unknown key and a corrupt file, records why, and matches only the verified file', () => {
    const good = sender(CONTACT, seededRandom('good'));
    const bad = sender(CONTACT, seededRandom('bad'));
    const fw = phone('ios');
    fw.recordSighting(good.sightingAt(CONTACT, 50));
    fw.recordSighting(bad.sightingAt(CONTACT, 50));
    const r = v1(
      fw.detectV1({
        files: [zip([good.key]), zip([bad.key], [other.signer]), Buffer.from('not a zip')],
        configuration: { ...COCOA_V1_CONFIG, minimumRiskScore: 1 },
        nowEpochSeconds: NOW,
      }),
    );
    expect(r.download.filesAccepted).toBe(1);
    expect(r.download.filesRejected).toBe(2);
    expect(r.download.rejectReasons.map((x) => [x.file, x.code])).toEqual([
      [1, 'EXPORT_SIGNATURE_INVALID'],
      [2, 'EXPORT_ZIP_CORRUPT'],
    ]);
    expect(r.matchedKeys.map((k) => k.keyHex)).toEqual([Buffer.from(good.key.keyData).toString('hex')]);
  });

  it('Android fails the whole call on a file whose signature does not verify (ApiException 10), and not on a corrupt one', () => {
    const good = sender(CONTACT, seededRandom('good'));
    const bad = sender(CONTACT, seededRandom('bad'));
    const fw = phone('android');
    fw.recordSighting(good.sightingAt(CONTACT, 50));
    const configuration = { ...COCOA_V1_CONFIG, minimumRiskScore: 1 };
    const failed = fw.detectV1({
      files: [zip([good.key]), zip([bad.key], [other.signer])],
      configuration,
      nowEpochSeconds: NOW,
    });
    expect(failed).toMatchObject({ kind: 'detection-failed', code: 'API_EXCEPTION_10', platform: 'android' });
    const corrupt = v1(
      fw.detectV1({
        files: [zip([good.key]), Buffer.from('not a zip')],
        configuration,
        nowEpochSeconds: NOW,
      }),
    );
    expect(corrupt.matchedKeyCount).toBe(1);
  });
});

describe('quotas (gaen.md §2)', () => {
  it('Android allows 20 v1 detections per 24 h, iOS 6; the next call returns QuotaExceeded until the window moves', () => {
    for (const [platform, limit] of [
      ['android', 20],
      ['ios', 6],
    ] as const) {
      const fw = phone(platform);
      const call = (t: number) =>
        fw.detectV1({ files: [], configuration: COCOA_V1_CONFIG, nowEpochSeconds: t });
      for (let i = 0; i < limit; i++) expect(call(NOW + i).kind).toBe('v1');
      const refused = call(NOW + limit);
      expect(refused).toMatchObject({
        kind: 'quota-exceeded',
        code: 'EN_QUOTA_EXCEEDED',
        limit,
        retryAtEpochSeconds: NOW + 86_400,
      });
      expect(call(NOW + 86_400).kind).toBe('v1');
    }
  });
});

describe('own keys and advertisements (gaen.md §1)', () => {
  it('advertises the RPI of the interval and an AEM that decrypts to the phone metadata, from a key aligned to UTC midnight', () => {
    const fw = phone('android');
    const adv = fw.advertisementAt(CONTACT + 42);
    const [key] = fw.ownKeys();
    expect(key.rollingStartIntervalNumber).toBe(DAY0 / 600);
    expect(key.rollingPeriod).toBe(144);
    expect(adv.enin).toBe(enIntervalNumber(CONTACT));
    expect(adv.rpi).toEqual(deriveRpi(deriveRpik(key.keyData), adv.enin));
    const meta = decodeMetadata(decryptAem(deriveAemk(key.keyData), adv.rpi, adv.aem));
    expect(meta).toEqual({ version: '1.1', txPower: -10, calibrationConfidence: 3 });
  });

  it('keeps one key per UTC day, returns the previous 13 days for upload and drops keys older than 14 days', () => {
    const fw = phone('android');
    for (let d = 0; d < 20; d++) fw.advertisementAt(DAY0 + d * 86_400 + 3600);
    const now = DAY0 + 19 * 86_400 + 7200;
    const keys = fw.getDiagnosisKeys(now);
    expect(keys.map((k) => k.rollingStartIntervalNumber)).toEqual(
      Array.from({ length: 13 }, (_, i) => (DAY0 + (6 + i) * 86_400) / 600),
    );
    expect(keys.every((k) => k.transmissionRiskLevel === 0 && k.rollingPeriod === 144)).toBe(true);
    expect(fw.ownKeys().length).toBeLessThanOrEqual(15);
  });

  it('releases today’s key with a shortened rolling period and goes on with a new key of the same start', () => {
    const fw = phone('ios');
    const t = DAY0 + 10 * 3600 + 30; // interval 60 of the day
    const before = fw.advertisementAt(t);
    const released = fw.getDiagnosisKeys(t, { includeCurrentDay: true });
    expect(released).toHaveLength(1);
    expect(released[0]).toMatchObject({ rollingStartIntervalNumber: DAY0 / 600, rollingPeriod: 61 });
    expect(fw.advertisementAt(t).rpi).toEqual(before.rpi); // the current interval finishes unchanged
    const after = fw.advertisementAt(t + 600);
    const fresh = fw.ownKeys().find((k) => k.rollingPeriod === 144);
    expect(fresh?.rollingStartIntervalNumber).toBe(DAY0 / 600);
    expect(Buffer.from(fresh?.keyData ?? []).equals(Buffer.from(released[0]?.keyData ?? []))).toBe(false);
    expect(after.rpi).toEqual(deriveRpi(deriveRpik(fresh?.keyData ?? Buffer.alloc(16)), after.enin));
    // Without same-day release (EN v1) today's keys stay with the phone.
    expect(fw.getDiagnosisKeys(t + 600)).toHaveLength(0);
    // A second release later that day: the new key, shortened from midnight through that interval.
    const again = fw.getDiagnosisKeys(t + 3 * 3600, { includeCurrentDay: true });
    expect(again.map((k) => k.rollingPeriod).sort((a, b) => a - b)).toEqual([61, 79]);
    expect(again.every((k) => k.rollingStartIntervalNumber === DAY0 / 600)).toBe(true);
  });

  it('prunes sightings older than 14 days', () => {
    const s = sender(DAY0, seededRandom('old'));
    const fw = phone('android');
    fw.recordSighting(s.sightingAt(DAY0, 50));
    expect(fw.sightingCount()).toBe(1);
    fw.detectV1({ files: [], configuration: COCOA_V1_CONFIG, nowEpochSeconds: DAY0 + 15 * 86_400 });
    expect(fw.sightingCount()).toBe(0);
  });
});

describe('platform rules through the framework', () => {
  const flat: V1Configuration = {
    minimumRiskScore: 1,
    attenuationScores: Array(8).fill(1),
    daysSinceLastExposureScores: [1, 2, 3, 4, 5, 6, 7, 8],
    durationScores: Array(8).fill(1),
    transmissionRiskScores: Array(8).fill(1),
    durationAtAttenuationThresholds: [50, 70],
  };
  const run = (
    platform: 'android' | 'ios',
    pairs: [number, number][],
    now = NOW,
    key: Partial<TemporaryExposureKey> = {},
  ) => {
    const s = sender(CONTACT, seededRandom('rules'), undefined, key);
    const fw = phone(platform);
    for (const [t, a] of pairs) fw.recordSighting(s.sightingAt(CONTACT + t, a));
    return v1(fw.detectV1({ files: [zip([s.key])], configuration: flat, nowEpochSeconds: now }));
  };

  it('15 minutes exactly at the 50 dB threshold: Android counts [t0,t1) minutes, iOS ≤X seconds', () => {
    const pairs: [number, number][] = [
      [0, 50],
      [300, 50],
      [600, 50],
    ];
    expect((run('android', pairs) as AndroidV1Detection).summary.attenuationDurationsInMinutes).toEqual([
      0, 15, 0,
    ]);
    expect((run('ios', pairs) as IosV1Detection).summary.attenuationDurations).toEqual([900, 0, 0]);
  });

  it('collapses the sightings of one scan to the strongest before building the exposure', () => {
    const r = run('android', [
      [0, 70],
      [3, 40],
      [6, 65],
    ]) as AndroidV1Detection;
    expect(r.informations[0]).toMatchObject({ durationMinutes: 5, attenuationValue: 40 });
  });

  it('the days bucket counts from the TEK start, not from the sighting', () => {
    // Key starts DAY0 00:00; sighting at 23:50 on DAY0; now = DAY0+2d 00:10 → 2 days → bucket 6 → score 7.
    const s = sender(DAY0, seededRandom('days'));
    const fw = phone('android');
    fw.recordSighting(s.sightingAt(DAY0 + 86_400 - 600, 40));
    const r = v1(
      fw.detectV1({ files: [zip([s.key])], configuration: flat, nowEpochSeconds: DAY0 + 2 * 86_400 + 600 }),
    ) as AndroidV1Detection;
    expect(r.summary).toMatchObject({ daysSinceLastExposure: 2, maximumRiskScore: 7 });
  });

  it('iOS has no slot for TRL 8: the score is 0 and the incident is dropped; Android uses scores[7]', () => {
    expect(run('ios', [[0, 40]], NOW, { transmissionRiskLevel: 8 }).informations).toEqual([]);
    expect(
      (run('android', [[0, 40]], NOW, { transmissionRiskLevel: 8 }) as AndroidV1Detection).informations[0]
        .totalRiskScore,
    ).toBe(8);
  });

  it('skips a key whose rolling period changed since an earlier detection', () => {
    const s = sender(CONTACT, seededRandom('period'));
    const fw = phone('android');
    fw.recordSighting(s.sightingAt(CONTACT, 40));
    const first = v1(fw.detectV1({ files: [zip([s.key])], configuration: flat, nowEpochSeconds: NOW }));
    expect(first.matchedKeyCount).toBe(1);
    const second = v1(
      fw.detectV1({
        files: [zip([{ ...s.key, rollingPeriod: 100 }])],
        configuration: flat,
        nowEpochSeconds: NOW,
      }),
    );
    expect(second.matchedKeyCount).toBe(0);
  });
});

describe('several files of one day (gaen.md "Server conventions": Android de-duplicates by header)', () => {
  const dayFile = (keys: readonly TemporaryExposureKey[], end: number) =>
    writeSignedExport(
      {
        startTimestamp: DAY0,
        endTimestamp: end,
        region: '440',
        batchNum: 1,
        batchSize: 1,
        keys,
        revisedKeys: [],
      },
      [signer],
    ).zip;
  const other = sender(CONTACT, seededRandom('someone-else')).key;
  const config = { configuration: COCOA_V1_CONFIG, nowEpochSeconds: NOW };

  for (const together of [true, false])
    it(`Android skips a second file with the same start/end/batch (${together ? 'one call' : 'a later call'}); iOS takes it in`, () => {
      for (const platform of ['android', 'ios'] as const) {
        const { fw, s } = contact(platform, 4);
        const first = dayFile([other], DAY0 + 86_400);
        const second = dayFile([s.key], DAY0 + 86_400);
        if (!together) v1(fw.detectV1({ files: [first], ...config }));
        const r = v1(fw.detectV1({ files: together ? [first, second] : [second], ...config }));
        if (platform === 'android') {
          expect(r.download.rejectReasons).toEqual([
            expect.objectContaining({ file: together ? 1 : 0, code: 'EXPORT_DUPLICATE_HEADER' }),
          ]);
          expect(r.matchedKeyCount).toBe(0);
        } else {
          expect(r.download.filesRejected).toBe(0);
          expect(r.matchedKeyCount).toBe(1);
        }
      }
    });

  it('Android takes in files of one day whose end timestamps differ (the reference server bumps them)', () => {
    const { fw, s } = contact('android', 4);
    const r = v1(
      fw.detectV1({ files: [dayFile([other], DAY0 + 86_400), dayFile([s.key], DAY0 + 86_401)], ...config }),
    );
    expect(r.download).toMatchObject({ filesAccepted: 2, filesRejected: 0 });
    expect(r.matchedKeyCount).toBe(1);
  });
});
