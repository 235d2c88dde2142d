/**
 * COCOA's own unit-test cases (transcribed in peers/cocoa/cocoa-unit-test-cases.json from
 * ExposureRiskCalculationServiceTests.cs and ExposureDetectionServiceTests.cs) run through ichiren's
 * COCOA 2.x build, on both platforms, and compared with COCOA's expected outcome. EN is mocked in
 * COCOA's tests, so the cases give the framework's output directly; here it is handed to the build's
 * `decide` exactly as the simulated OS would hand it over.
 */
import { describe, expect, it } from 'vitest';
import { COCOA_2_X } from '../../harness/devices/apps/cocoa.js';
import {
  parseChinoConfiguration,
  parseRiskCalculation,
  RISK_MEMBERS,
  type RiskMeasure,
} from '../../harness/devices/apps/config.js';
import { presentNotification } from '../../harness/devices/apps/notification.js';
import type { AppConfiguration, AppDecision } from '../../harness/devices/apps/types.js';
import type {
  ExposureWindow,
  FrameworkPlatform,
  V1Detection,
  V2Detection,
} from '../../harness/devices/framework/index.js';
import { reference, titled } from '../reference-data.js';

/** What the user sees after a check: COCOA notifies when the check stored new exposure records. */
const notified = (d: AppDecision): boolean => presentNotification(d, d.stored).shown;

const cocoa = reference('cocoa-peer-data');
const PLATFORMS: readonly FrameworkPlatform[] = ['android', 'ios'];
const DAY_MS = 86_400_000;

type Condition = [op: string, value: number];
interface Cases {
  source_commit: string;
  v2_exposure_window_cases: {
    cases: {
      name: string;
      line: number;
      config: Partial<Record<string, Condition>>;
      daySummary: { ScoreSum: number };
      scanInstances: { typicalAttenuationDb: number; secondsSinceLastScan: number }[];
      expected: 'High' | 'Low';
    }[];
  };
  legacy_v1_exposure_information_cases: {
    cases: {
      name: string;
      line: number;
      minimumRiskScore: number;
      summary: { MaximumRiskScore: number };
      exposureInformation: { TotalRiskScore: number; TransmissionRiskLevel: string }[];
      expected: { notifications: number; stored: boolean };
    }[];
  };
  v2_detection_flow_cases: {
    cases: {
      name: string;
      line: number;
      exposureDate: string;
      mockedRiskLevel: 'High' | 'Low';
      expected: { notifications: number };
    }[];
  };
}

const cases = (cocoa.available ? cocoa.json<Cases>('cocoa-unit-test-cases.json') : null) as Cases;
const published = () =>
  cocoa.json<Record<string, Record<string, unknown>>>('published-config/configuration.json');

/** The transcription names conditions by their last part ("ScoreSum", "TypicalAttenuationDb_Min"). */
const MEASURE_BY_SHORT_NAME: Record<string, RiskMeasure> = {
  ScoreSum: 'scoreSum',
  WeightedDurationAverage: 'weightedDurationAverage',
  SecondsSinceLastScanSum: 'secondsSinceLastScanSum',
  TypicalAttenuationDb_Max: 'typicalAttenuationDbMax',
  TypicalAttenuationDb_Min: 'typicalAttenuationDbMin',
};

/**
 * A risk_calculation_configuration.json document for a case: its conditions, every other one
 * `{"op": "NOP", "value": 0}` — the default of COCOA's `Threshold` class — then parsed by the parser
 * the build uses.
 */
function riskDocument(conditions: Partial<Record<string, Condition>>): Record<string, unknown> {
  const doc: Record<string, unknown> = { format_version: 1 };
  for (const member of Object.values(RISK_MEMBERS)) doc[member] = { op: 'NOP', value: 0 };
  for (const [short, c] of Object.entries(conditions)) {
    const measure = MEASURE_BY_SHORT_NAME[short];
    if (!measure || !c) throw new Error(`transcription names an unknown condition "${short}"`);
    doc[RISK_MEMBERS[measure]] = { op: c[0], value: c[1] };
  }
  return doc;
}

/** The build's configuration: COCOA's published configuration.json with the case's risk conditions. */
function configuration(risk: Record<string, unknown>, chinoDoc = published()): AppConfiguration {
  const chino = parseChinoConfiguration(chinoDoc, 'configuration.json');
  return {
    v1: { android: chino.androidV1, ios: chino.iosV1 },
    v2: {
      mapping: chino.mapping,
      android: chino.android,
      ios: chino.ios,
      riskCalculation: parseRiskCalculation(risk, 'risk_calculation_configuration.json'),
    },
    documents: [],
    source: 'conformance test',
  };
}

function v2Detection(
  platform: FrameworkPlatform,
  dateMs: number,
  scoreSum: number,
  scans: readonly { typicalAttenuationDb: number; secondsSinceLastScan: number }[],
): V2Detection {
  const windows: ExposureWindow[] =
    scans.length === 0
      ? []
      : [
          {
            dateMillisSinceEpoch: dateMs,
            reportType: 1,
            infectiousness: 2,
            calibrationConfidence: 0,
            scanInstances: scans.map((s) => ({ ...s, minAttenuationDb: s.typicalAttenuationDb })),
          },
        ];
  return {
    kind: 'v2',
    platform,
    download: { filesAccepted: 1, filesRejected: 0, rejectReasons: [], keysRead: 1 },
    matchedKeyCount: 1,
    matchedKeys: [],
    exposureWindows: windows,
    dailySummaries: [
      {
        daysSinceEpoch: Math.floor(dateMs / DAY_MS),
        dateMillisSinceEpoch: dateMs,
        daySummary: { maximumScore: scoreSum, scoreSum, weightedDurationSum: 0 },
        summaryByReportType: {},
      },
    ],
  };
}

/** Chino's RiskLevel enum (Invalid 0 … High 6 … Highest 8): the TransmissionRiskLevel the case gives. */
const RISK_LEVEL: Record<string, number> = { Invalid: 0, Lowest: 1, Low: 2, Medium: 4, High: 6, Highest: 8 };

/** What each platform's framework returns for the case's mocked summary and informations. */
function v1Detection(
  platform: FrameworkPlatform,
  maximum: number,
  items: readonly { TotalRiskScore: number; TransmissionRiskLevel: string }[],
): V1Detection {
  const base = {
    kind: 'v1' as const,
    download: { filesAccepted: 1, filesRejected: 0, rejectReasons: [], keysRead: 1 },
    matchedKeyCount: items.length,
    matchedKeys: [],
  };
  const trl = (i: { TransmissionRiskLevel: string }) => RISK_LEVEL[i.TransmissionRiskLevel] ?? 0;
  if (platform === 'android') {
    return {
      ...base,
      platform,
      summary: {
        matchedKeyCount: items.length,
        daysSinceLastExposure: 0,
        maximumRiskScore: maximum,
        summationRiskScore: maximum,
        attenuationDurationsInMinutes: [0, 0, 0],
      },
      informations: items.map((i) => ({
        dateMillisSinceEpoch: 0,
        durationMinutes: 0,
        attenuationValue: 0,
        transmissionRiskLevel: trl(i),
        totalRiskScore: i.TotalRiskScore,
        attenuationDurationsInMinutes: [0],
      })),
    };
  }
  return {
    ...base,
    platform,
    summary: {
      matchedKeyCount: items.length,
      daysSinceLastExposure: 0,
      maximumRiskScore: maximum,
      maximumRiskScoreFullRange: maximum,
      riskScoreSumFullRange: maximum,
      attenuationDurations: [0, 0, 0],
    },
    informations: items.map((i) => ({
      dateMillisSinceEpoch: 0,
      duration: 0,
      attenuationValue: 0,
      transmissionRiskLevel: trl(i),
      totalRiskScore: i.TotalRiskScore,
      totalRiskScoreFullRange: i.TotalRiskScore,
      attenuationDurations: [0],
    })),
  };
}

const NOW = Date.parse('2022-04-17T12:00:00Z') / 1000;

describe.skipIf(!cocoa.available)(
  titled(cocoa, "COCOA's unit-test cases through ichiren's 2.x build"),
  () => {
    it('has the 11 cases the peer survey transcribed', () => {
      expect(
        cases.v2_exposure_window_cases.cases.length +
          cases.legacy_v1_exposure_information_cases.cases.length +
          cases.v2_detection_flow_cases.cases.length,
      ).toBe(11);
    });

    describe('ExposureRiskCalculationServiceTests (risk level of a day)', () => {
      for (const c of cases?.v2_exposure_window_cases.cases ?? []) {
        for (const platform of PLATFORMS) {
          it(`${c.name} (line ${c.line}) on ${platform}: ${c.expected}`, () => {
            const config = configuration(riskDocument(c.config));
            const day = NOW * 1000 - DAY_MS;
            const d = v2Detection(platform, day, c.daySummary.ScoreSum, c.scanInstances);
            const decision = COCOA_2_X.decide(d, config, NOW);
            expect({ level: notified(decision) ? 'High' : 'Low', why: decision.explanation }).toMatchObject({
              level: c.expected,
            });
            expect(decision.stored).toHaveLength(c.expected === 'High' ? 1 : 0);
          });
        }
      }
    });

    describe('ExposureDetectionServiceTests, legacy v1 (ExposureInformation gate)', () => {
      for (const c of cases?.legacy_v1_exposure_information_cases.cases ?? []) {
        for (const platform of PLATFORMS) {
          // COCOA's test sets GoogleExposureConfig.MinimumRiskScore only; the Apple v1 minimum must not
          // matter, so the case runs with two different Apple values.
          for (const appleMinimum of [0, 21]) {
            it(`${c.name} (line ${c.line}) on ${platform}, apple_exposure_config_v1.minimum_risk_score ${appleMinimum}: ${c.expected.notifications} notification(s)`, () => {
              const doc = structuredClone(published());
              doc.google_exposure_config.minimum_risk_score = c.minimumRiskScore;
              doc.apple_exposure_config_v1.minimum_risk_score = appleMinimum;
              const config = configuration(riskDocument({}), doc);
              const d = v1Detection(platform, c.summary.MaximumRiskScore, c.exposureInformation);
              const decision = COCOA_2_X.decide(d, config, NOW);
              expect({ notified: notified(decision), why: decision.explanation }).toMatchObject({
                notified: c.expected.notifications > 0,
              });
              expect(decision.stored.length > 0).toBe(c.expected.stored);
              if (c.expected.stored) expect(decision.stored).toHaveLength(c.exposureInformation.length);
            });
          }
        }
      }
    });

    describe('ExposureDetectionServiceTests, v2 (notify and the 15-day validity window)', () => {
      // The risk level COCOA's tests mock, produced here from the published thresholds (ScoreSum ≥ 1350
      // AND SecondsSinceLastScanSum ≥ 900): a day above both, or a day with nothing.
      const mocked = {
        High: { scoreSum: 2000, scans: [{ typicalAttenuationDb: 50, secondsSinceLastScan: 900 }] },
        Low: { scoreSum: 0, scans: [] },
      } as const;
      const risk = () =>
        cocoa.json<Record<string, unknown>>('published-config/risk_calculation_configuration.json');

      for (const c of cases?.v2_detection_flow_cases.cases ?? []) {
        for (const platform of PLATFORMS) {
          it(`${c.name} (line ${c.line}) on ${platform}: ${c.expected.notifications} notification(s)`, () => {
            const m = /^now - (\d+) d$/.exec(c.exposureDate);
            if (!m) throw new Error(`unreadable exposureDate "${c.exposureDate}"`);
            const date = NOW * 1000 - Number(m[1]) * DAY_MS;
            const input = mocked[c.mockedRiskLevel];
            const config = configuration(risk());
            // The mocked level holds for the day whatever its date: checked on a fresh day first.
            const fresh = COCOA_2_X.decide(
              v2Detection(platform, NOW * 1000, input.scoreSum, input.scans),
              config,
              NOW,
            );
            expect(notified(fresh)).toBe(c.mockedRiskLevel === 'High');
            const decision = COCOA_2_X.decide(
              v2Detection(platform, date, input.scoreSum, input.scans),
              config,
              NOW,
            );
            expect({ notified: notified(decision), why: decision.explanation }).toMatchObject({
              notified: c.expected.notifications > 0,
            });
          });
        }
      }

      it('a High day older than 15 days does not notify (TermOfExposureRecordValidityInDays = -15)', () => {
        const config = configuration(risk());
        const d = v2Detection('android', NOW * 1000 - 16 * DAY_MS, mocked.High.scoreSum, mocked.High.scans);
        expect(notified(COCOA_2_X.decide(d, config, NOW))).toBe(false);
      });
    });
  },
);
